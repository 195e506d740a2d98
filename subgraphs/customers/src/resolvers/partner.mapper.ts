import type { Partner } from '../__generated__/resolvers-types.ts';

/** A partner as resolvers return it: every field but the OAuth clients, which their own resolver reads. */
export type PartnerView = Omit<Partner, 'oauthClients'>;
