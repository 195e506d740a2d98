import { API_KEY_HEADER, decodePartnerKeyRecord, hashApiKey, partnerKeyRedisKey, partnerOperationsRedisKey, type Redis } from '@commerce/platform';
import { graphqlErrorResponse, type RouterPlugin } from '../plugin.ts';

export interface PartnersOptions {
  /** the projection the customers subgraph writes (keys and safelists of every partner) */
  redis: Redis;
}

/**
 * Partner API keys and per-partner safelists (like Apollo's persisted-query safelisting, with a
 * list per partner). A request with `x-api-key` must name an operation of its partner's
 * published manifest by id (`extensions.persistedQuery.sha256Hash`); the router then runs the
 * manifest's text, never the client's. A free-form query is QUERY_NOT_IN_SAFELIST, an unknown id
 * PERSISTED_QUERY_NOT_IN_LIST, a bad or revoked key UNAUTHENTICATED. Requests without the header
 * are not affected (storefronts, APQ). Two Redis reads per partner request, no local cache, so a
 * revocation holds on the very next request on every router instance.
 *
 * A key is let in only when its projected record (decodePartnerKeyRecord) says `active`: no record,
 * a revoked one (a tombstone that keeps the version of the revoke), or one the router cannot read
 * (another format, a half-written value) is UNAUTHENTICATED — an unknown projection fails closed.
 * Redis unreachable is 503: the router cannot tell a valid key from a revoked one.
 */
export function usePartners(opts: PartnersOptions): RouterPlugin {
  return {
    name: 'partners',

    async onParams(r, params) {
      const header = r.req.headers[API_KEY_HEADER];
      if (header === undefined) return;
      const apiKey = Array.isArray(header) ? header[0] : header;
      if (!apiKey || apiKey.length > 200) return graphqlErrorResponse(401, 'UNAUTHENTICATED', 'Invalid API key');
      let stored: string | null;
      try {
        stored = await opts.redis.get(partnerKeyRedisKey(hashApiKey(apiKey)));
      } catch (err) {
        r.context.logger.error({ err }, 'cannot read partner keys from Redis');
        return graphqlErrorResponse(503, 'SERVICE_UNAVAILABLE', 'Partner authentication is temporarily unavailable', { 'retry-after': '5' });
      }
      const record = decodePartnerKeyRecord(stored);
      if (stored !== null && !record) r.context.logger.warn('unreadable partner key record in Redis: key rejected (the customers reconcile rewrites it)');
      if (!record || record.status !== 'active') return graphqlErrorResponse(401, 'UNAUTHENTICATED', 'Invalid or revoked API key');
      const partnerId = record.partnerId;
      r.context.partner = { id: partnerId };
      r.context.logger = r.context.logger.child({ partnerId });

      const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      const id = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
      if (!id) return graphqlErrorResponse(400, 'QUERY_NOT_IN_SAFELIST', 'Partners may only run operations of their published manifest, by id (extensions.persistedQuery.sha256Hash)');
      let body: string | null;
      try {
        body = /^[0-9a-f]{64}$/.test(id) ? await opts.redis.hget(partnerOperationsRedisKey(partnerId), id) : null;
      } catch (err) {
        r.context.logger.error({ err }, 'cannot read partner safelist from Redis');
        return graphqlErrorResponse(503, 'SERVICE_UNAVAILABLE', 'Partner safelists are temporarily unavailable', { 'retry-after': '5' });
      }
      if (body === null) return graphqlErrorResponse(400, 'PERSISTED_QUERY_NOT_IN_LIST', `Operation ${id.slice(0, 64)} is not in this partner's safelist`);
      if (params.query !== undefined && params.query !== body) return graphqlErrorResponse(400, 'QUERY_NOT_IN_SAFELIST', 'The query text does not match the safelisted operation with this id');
      params.query = body;
    },
  };
}
