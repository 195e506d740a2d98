import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { DOMAIN_SCOPES, endAllSessions, endSession, isDomainScope, userError, type Logger, type Redis, type Result } from '@commerce/platform';
import type { OAuthStore } from './adapter.ts';
import { createInteractionHandler, type InteractionDeps } from './interactions.ts';
import { createOAuthProvider, OAUTH_MOUNT, type OAuthProviderOptions } from './provider.ts';

export { OAUTH_MOUNT } from './provider.ts';
export { createOAuthStore, type OAuthStore } from './adapter.ts';

/** A partner's OAuth client as the admin API shows it: never its secret after creation. */
export interface PartnerClient {
  clientId: string;
  partnerId: string;
  name: string;
  scopes: string[];
  createdAt: Date;
}

export const MAX_CLIENTS_PER_PARTNER = 5;
/** the prefix of a GraphQL log-in's session id (domain/tokens.ts newSessionId) */
const GRAPHQL_SESSION_PREFIX = 'ses_';

export interface OAuthService {
  /** the `/oauth` mount of the customers server (provider endpoints and the interaction pages) */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** builds the provider once the issuer is known (the bound port in tests) */
  start(issuer: string): void;
  readonly issuer: string | undefined;
  /** ends one session: an OAuth grant (its refresh tokens go, its access tokens stop at the router) or a GraphQL log-in */
  endSession(sessionId: string): Promise<void>;
  /** ends every session of an account: grants, provider log-ins, and tokens issued before now */
  endAllSessions(accountId: string): Promise<void>;
  createPartnerClient(partnerId: string, name: string, scopes: string[]): Promise<Result<{ client: PartnerClient; clientSecret: string }>>;
  deletePartnerClient(partnerId: string, clientId: string): Promise<boolean>;
  partnerClients(partnerId: string): Promise<PartnerClient[]>;
}

export interface OAuthServiceOptions extends Omit<OAuthProviderOptions, 'issuer'> {
  redis: Redis;
  store: OAuthStore;
  logger: Logger;
  interactions: Omit<InteractionDeps, 'provider' | 'origin' | 'logger' | 'secureCookies'>;
}

interface ClientPayload {
  client_id: string;
  client_name: string;
  partner_id: string;
  scope: string;
  created_at: number;
  [k: string]: unknown;
}

const toPartnerClient = (p: ClientPayload): PartnerClient => ({
  clientId: p.client_id,
  partnerId: p.partner_id,
  name: p.client_name,
  scopes: p.scope.split(' ').filter(Boolean),
  createdAt: new Date(p.created_at * 1000),
});

export function createOAuthService(opts: OAuthServiceOptions): OAuthService {
  let provider: Provider | undefined;
  // Koa composes its middleware in callback(): once per provider, not per request
  let callback: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  let issuer: string | undefined;
  let handleInteraction: ReturnType<typeof createInteractionHandler> | undefined;
  // how long the end of a session must be remembered: as long as one of its tokens can live
  // (client-credentials tokens have their own lifetime)
  const endedTtl = Math.max(opts.ttl.accessToken, opts.ttl.clientCredentials) + 60;

  const clients = opts.store.collection('Client');

  return {
    get issuer() {
      return issuer;
    },
    start(iss) {
      issuer = iss;
      provider = createOAuthProvider({ ...opts, issuer: iss });
      callback = provider.callback() as unknown as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
      const p = provider;
      handleInteraction = createInteractionHandler({
        ...opts.interactions,
        provider: () => p,
        origin: new URL(iss).origin,
        logger: opts.logger,
        secureCookies: iss.startsWith('https:'),
      });
    },
    async handle(req, res) {
      if (!callback || !handleInteraction) {
        res.writeHead(503, { 'retry-after': '1' }).end();
        return;
      }
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (await handleInteraction(req, res, pathname)) return;
      // the library routes on the path below its mount, and builds its URLs from originalUrl
      const original = req.url ?? '/';
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      req.url = original.slice(OAUTH_MOUNT.length) || '/';
      await callback(req, res);
    },
    async endSession(sessionId) {
      // a GraphQL log-in's session (ses_…) has nothing stored; any other id names an OAuth grant
      if (!sessionId.startsWith(GRAPHQL_SESSION_PREFIX)) await opts.store.deleteGrant(sessionId);
      await endSession(opts.redis, sessionId, endedTtl);
    },
    async endAllSessions(accountId) {
      // tokens first: from here on the router refuses every token of the account issued before now
      await endAllSessions(opts.redis, accountId, endedTtl);
      const grants = await opts.store.grantIdsOf(accountId);
      // each grant's session ended too: an access token a refresh minted between the line above
      // and the grant's deletion names its grant, and is refused by that
      await Promise.all(grants.map(async (g) => {
        await opts.store.deleteGrant(g);
        await endSession(opts.redis, g, endedTtl);
      }));
      await opts.store.deleteSessionsOf(accountId);
    },
    async createPartnerClient(partnerId, name, scopes) {
      const wanted = [...new Set(scopes)];
      const unknown = wanted.filter((s) => !isDomainScope(s));
      if (wanted.length === 0 || unknown.length) {
        return { ok: false, errors: [userError('INVALID_SCOPE', unknown.length ? `Unknown scope ${unknown.join(', ')}; scopes are <domain>:read or <domain>:write: ${DOMAIN_SCOPES.join(', ')}` : 'Give the client at least one scope', ['scopes'])] };
      }
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > 100) return { ok: false, errors: [userError('INVALID_NAME', 'Name must be 1 to 100 characters', ['name'])] };
      const existing = await clients.countDocuments({ partnerId });
      if (existing >= MAX_CLIENTS_PER_PARTNER) return { ok: false, errors: [userError('TOO_MANY_CLIENTS', `A partner has at most ${MAX_CLIENTS_PER_PARTNER} OAuth clients; delete one first`)] };
      const clientSecret = `ocs_${randomBytes(32).toString('base64url')}`;
      const payload: ClientPayload = {
        client_id: `oc_${randomBytes(16).toString('hex')}`,
        client_secret: clientSecret,
        client_name: trimmed,
        partner_id: partnerId,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: wanted.sort().join(' '),
        created_at: Math.floor(Date.now() / 1000),
      };
      await opts.store.adapter('Client').upsert(payload.client_id, payload as never, 0);
      opts.logger.info({ partnerId, clientId: payload.client_id, scopes: wanted }, 'oauth: partner client created');
      return { ok: true, value: { client: toPartnerClient(payload), clientSecret } };
    },
    async deletePartnerClient(partnerId, clientId) {
      const res = await clients.deleteOne({ _id: clientId, partnerId });
      if (res.deletedCount) {
        // its tokens: refused from the next request on (client-credentials tokens have sub = client id)
        await endAllSessions(opts.redis, clientId, endedTtl);
        opts.logger.info({ partnerId, clientId }, 'oauth: partner client deleted');
      }
      return res.deletedCount > 0;
    },
    async partnerClients(partnerId) {
      const docs = await clients.find({ partnerId }).toArray();
      return docs.map((d) => toPartnerClient(d.payload as unknown as ClientPayload)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
  };
}
