import type { KeyObject } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { API_RESOURCE, CUSTOMER_SCOPE, DOMAIN_SCOPES, endSession, type Logger, type Redis } from '@commerce/platform';
import type { CustomerModel } from '../model/customer.model.ts';
import type { OAuthStore } from './adapter.ts';
import { renderErrorPage } from './views.ts';

/**
 * The OAuth 2.0 / OpenID Connect provider (issue 13), built on `oidc-provider` (OpenID certified):
 * no protocol code of ours. What is ours is the policy:
 *  - authorization code + PKCE (required) for public clients — the storefront app, client
 *    `OAUTH_STOREFRONT_CLIENT_ID`, which gets scope `commerce` (act as the customer) and refresh
 *    tokens (`offline_access`);
 *  - client credentials for partners' confidential clients, each limited to the domain scopes an
 *    admin gave it (`catalog:read` …, see @commerce/platform oauth-scopes.ts);
 *  - refresh tokens rotate on every use; a used one presented again ends its whole grant (the
 *    library's reuse detection, and the adapter's for two uses at once);
 *  - access tokens are JWTs for the resource `urn:commerce:graphql`, signed with the same key as
 *    the GraphQL log-in's tokens, so the router verifies both with one JWKS. They carry `sid` (the
 *    grant: what revocation and logOut end), `roles` (read from the account at every issue, so a
 *    refresh picks up a role change) and, for partners, `partner`;
 *  - revocation (RFC 7009), introspection (RFC 7662), discovery and JWKS are the library's.
 * Ending a grant (revocation of a refresh token, reuse, logOut) is written to Redis
 * (`endSession`), which the router reads on every request: access tokens of the grant stop working
 * at once, not when they expire.
 */
export interface OAuthProviderOptions {
  issuer: string;
  store: OAuthStore;
  customers: CustomerModel;
  redis: Redis;
  logger: Logger;
  /** the access-token signing key and its id (the current key of the service's key ring) */
  signingKey: () => { kid: string; privateKey: KeyObject };
  /** every key the JWKS serves (private JWKs; the library publishes their public parts) */
  jwks: () => Array<Record<string, unknown>>;
  cookieKeys: string[];
  storefront: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  ttl: { accessToken: number; clientCredentials: number; refreshToken: number };
  /** `app.proxy`: trust X-Forwarded-* (behind the ingress in production) */
  proxy: boolean;
  production: boolean;
}

/** The mount path of the provider in the customers service (its issuer is `<origin>/oauth`). */
export const OAUTH_MOUNT = '/oauth';
/** Where the library sends the browser to log in and consent (handled by interactions.ts). */
export const INTERACTION_PATH = `${OAUTH_MOUNT}/interaction`;

interface TokenLike {
  kind: string;
  grantId?: string;
  accountId?: string;
  clientId?: string;
}

export function createOAuthProvider(opts: OAuthProviderOptions): Provider {
  const resourceScope = [CUSTOMER_SCOPE, ...DOMAIN_SCOPES].join(' ');
  const configuration: Configuration = {
    adapter: opts.store.adapter as unknown as Configuration['adapter'],
    clients: [
      {
        client_id: opts.storefront.clientId,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: opts.storefront.redirectUris,
        post_logout_redirect_uris: opts.storefront.postLogoutRedirectUris,
        scope: `openid email profile offline_access ${CUSTOMER_SCOPE}`,
      },
    ],
    jwks: { keys: opts.jwks() as never },
    cookies: { keys: opts.cookieKeys, long: { signed: true, httpOnly: true, sameSite: 'lax' }, short: { signed: true, httpOnly: true, sameSite: 'lax' } },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile', CUSTOMER_SCOPE, ...DOMAIN_SCOPES],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    extraClientMetadata: { properties: ['partner_id'] },
    clientDefaults: { id_token_signed_response_alg: 'RS256', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // a client may introspect its own tokens only (partners cannot probe the storefront's);
      // revocation checks the same by itself
      introspection: { enabled: true, allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId } as never,
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // every token is for the API unless the client asks otherwise (it may not: one resource)
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: resourceScope,
            audience: API_RESOURCE,
            accessTokenTTL: opts.ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256', kid: opts.signingKey().kid } },
          };
        },
      },
    },
    ttl: {
      AccessToken: opts.ttl.accessToken,
      ClientCredentials: opts.ttl.clientCredentials,
      RefreshToken: opts.ttl.refreshToken,
      AuthorizationCode: 60,
      Interaction: 3600,
      Session: 14 * 86_400,
      Grant: opts.ttl.refreshToken,
      IdToken: opts.ttl.accessToken,
    },
    // refresh tokens for clients that may use them (the storefront), rotated on every use
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    async findAccount(_ctx, sub) {
      const customer = await opts.customers.findById(sub).lean();
      if (!customer) return undefined;
      return {
        accountId: customer._id,
        claims: async () => ({ sub: customer._id, email: customer.email, name: customer.name }),
      };
    },
    async extraTokenClaims(ctx: KoaContextWithOIDC, token: unknown) {
      const t = token as TokenLike;
      const claims: Record<string, unknown> = { iat_ms: Date.now() };
      if (t.grantId) claims.sid = t.grantId;
      if (t.accountId) {
        const customer = await opts.customers.findById(t.accountId).select({ roles: 1 }).lean();
        claims.roles = customer?.roles ?? [];
      } else if (t.kind === 'ClientCredentials') {
        const partnerId = ctx.oidc.client?.metadata().partner_id;
        if (typeof partnerId === 'string') claims.partner = partnerId;
      }
      return claims;
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out as unknown as Record<string, string>);
    },
  };
  const provider = new Provider(opts.issuer, configuration);
  provider.proxy = opts.proxy;

  // a grant ended by the library (revocation of a refresh token, a reused refresh token): its
  // access tokens must stop at the router too
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => {
    endSession(opts.redis, grantId, opts.ttl.accessToken + 60).catch((err) => opts.logger.error({ err, grantId }, 'oauth: could not record the end of a revoked grant'));
  });
  provider.on('server_error', (_ctx: unknown, err: Error) => opts.logger.error({ err }, 'oauth: server error'));
  provider.on('grant.error', (_ctx: unknown, err: Error & { error?: string }) => opts.logger.info({ error: err.error ?? err.message }, 'oauth: token request refused'));
  return provider;
}
