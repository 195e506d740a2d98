import { z } from 'zod';
import { ConfigError, parseEnv } from '@commerce/platform';
import { parseTtl } from '../domain/tokens.ts';

/** Development-only cookie key: a production start refuses it (OAUTH_COOKIE_KEYS is required there). */
const DEV_COOKIE_KEY = 'development-only-oauth-cookie-key-not-for-production';

const ttl = (fallback: string, max: number, what: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => parseTtl(v) !== undefined, 'a lifetime such as 10m, 1h, 3600 or 30d')
    .refine((v) => (parseTtl(v) ?? 0) <= max, `at most ${max} seconds (${what})`);

const oauthEnv = z.object({
  // the provider's issuer URL, as clients reach it; default `<this service's origin>/oauth`
  OAUTH_ISSUER: z.url().optional(),
  OAUTH_COOKIE_KEYS: z.string().optional(),
  OAUTH_STOREFRONT_CLIENT_ID: z.string().regex(/^[\w.-]{1,64}$/).default('storefront'),
  OAUTH_STOREFRONT_REDIRECT_URIS: z.string().default('http://localhost:3000/callback,http://127.0.0.1:3000/callback'),
  OAUTH_STOREFRONT_POST_LOGOUT_REDIRECT_URIS: z.string().default('http://localhost:3000/,http://127.0.0.1:3000/'),
  OAUTH_REFRESH_TOKEN_TTL: ttl('30d', 90 * 86_400, 'refresh tokens'),
  OAUTH_CLIENT_CREDENTIALS_TTL: ttl('10m', 3600, 'client-credentials tokens are not refreshed, and are refused at once only by deleting the client'),
  OAUTH_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
});

export interface OAuthConfig {
  issuer?: string | undefined;
  cookieKeys: string[];
  storefront: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  refreshTokenTtlSeconds: number;
  clientCredentialsTtlSeconds: number;
  trustProxy: boolean;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function loadOAuthConfig(env: NodeJS.ProcessEnv, nodeEnv: 'development' | 'test' | 'production'): OAuthConfig {
  const e = parseEnv(oauthEnv, env);
  const cookieKeys = e.OAUTH_COOKIE_KEYS ? list(e.OAUTH_COOKIE_KEYS) : [];
  if (nodeEnv === 'production') {
    if (cookieKeys.length === 0) throw new ConfigError('invalid configuration:\n  OAUTH_COOKIE_KEYS: required in production (comma-separated secrets of at least 32 characters, newest first; they sign the provider\'s cookies)');
    if (!e.OAUTH_ISSUER) throw new ConfigError('invalid configuration:\n  OAUTH_ISSUER: required in production (the public https URL of this service\'s /oauth, as browsers and the router see it)');
  }
  if (cookieKeys.some((k) => k.length < 32)) throw new ConfigError('invalid configuration:\n  OAUTH_COOKIE_KEYS: every key must be at least 32 characters');
  const redirectUris = list(e.OAUTH_STOREFRONT_REDIRECT_URIS);
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new ConfigError(`invalid configuration:\n  OAUTH_STOREFRONT_REDIRECT_URIS: ${uri} is not a URL`);
  }
  return {
    issuer: e.OAUTH_ISSUER?.replace(/\/$/, ''),
    cookieKeys: cookieKeys.length ? cookieKeys : [DEV_COOKIE_KEY],
    storefront: { clientId: e.OAUTH_STOREFRONT_CLIENT_ID, redirectUris, postLogoutRedirectUris: list(e.OAUTH_STOREFRONT_POST_LOGOUT_REDIRECT_URIS) },
    refreshTokenTtlSeconds: parseTtl(e.OAUTH_REFRESH_TOKEN_TTL)!,
    clientCredentialsTtlSeconds: parseTtl(e.OAUTH_CLIENT_CREDENTIALS_TTL)!,
    trustProxy: e.OAUTH_TRUST_PROXY === 'true',
  };
}
