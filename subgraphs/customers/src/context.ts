import type { BaseContext } from '@commerce/platform';
import type { AccountService } from './domain/index.ts';
import type { PartnerService } from './domain/partners/index.ts';
import type { Loaders } from './loaders.ts';
import type { OAuthService } from './oauth/index.ts';

/** What every resolver of the customers subgraph receives (one per request). */
export interface Context extends BaseContext {
  loaders: Loaders;
  services: { accounts: AccountService; partners: PartnerService; oauth: OAuthService };
  /**
   * Customer ids this request has proven to be: the caller's own (from the router's identity), plus
   * the one a signUp/logIn in this request just authenticated. Guards fields such as Customer.email.
   */
  provenCustomerIds: Set<string>;
}
