import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, badUserInput, type Result } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { PartnerDoc } from '../model/partner.model.ts';
import type { PartnerView } from './partner.mapper.ts';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.ts';

/** Record → API type: key hashes and operation bodies never leave the service. */
export function toPartner(p: PartnerDoc): PartnerView {
  return {
    id: p._id,
    name: p.name,
    apiKeys: p.apiKeys.map((k) => ({ id: k.id, prefix: k.prefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null })),
    operationCount: p.operations.length,
    manifestPublishedAt: p.manifestPublishedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}

const isPartnerCursor = (v: unknown): v is { id: string } => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

function payload(result: Result<PartnerDoc>) {
  return result.ok ? { partner: toPartner(result.value), userErrors: [] } : { partner: null, userErrors: result.errors };
}

// shield: isAdmin on every field below
export const partnerQueries: QueryResolvers<Context> = {
  partner: async (_parent, { id }, ctx) => {
    const p = await ctx.services.partners.getPartner(id);
    return p ? toPartner(p) : null;
  },
  partners: async (_parent, { first, after }, ctx) => {
    if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
    const cursor = after ? decodeCursor(after, isPartnerCursor) : undefined;
    if (after && !cursor) throw badUserInput('after is not a cursor of this connection', 'after');
    const page = await ctx.services.partners.listPartners(first, cursor?.id ?? null);
    const last = page.partners.at(-1);
    return {
      nodes: page.partners.map(toPartner),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: !!cursor,
        startCursor: page.partners[0] ? encodeCursor({ id: page.partners[0]._id }) : null,
        endCursor: last ? encodeCursor({ id: last._id }) : null,
      },
    };
  },
};

export const partnerMutations: MutationResolvers<Context> = {
  createPartner: async (_parent, { name }, ctx) => {
    const r = await ctx.services.partners.createPartner(name, ctx.logger);
    return r.ok ? { partner: toPartner(r.value.partner), apiKey: r.value.apiKey, userErrors: [] } : { partner: null, apiKey: null, userErrors: r.errors };
  },
  createApiKey: async (_parent, { partnerId }, ctx) => {
    const r = await ctx.services.partners.createApiKey(partnerId, ctx.logger);
    return r.ok ? { partner: toPartner(r.value.partner), apiKey: r.value.apiKey, userErrors: [] } : { partner: null, apiKey: null, userErrors: r.errors };
  },
  revokeApiKey: async (_parent, { partnerId, keyId }, ctx) => payload(await ctx.services.partners.revokeApiKey(partnerId, keyId ?? null, ctx.logger)),
  publishPersistedQueries: async (_parent, { partnerId, manifest }, ctx) => {
    const r = await ctx.services.partners.publishPersistedQueries(partnerId, manifest, ctx.logger);
    return { ...payload(r), operationCount: r.ok ? r.value.operations.length : 0 };
  },
};
