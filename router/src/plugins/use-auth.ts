import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isRole, type Identity } from '@commerce/platform';
import { graphqlErrorResponse, type EarlyResponse, type RouterPlugin } from '../plugin.ts';

export interface AuthOptions {
  /** the customers subgraph's JWKS (public keys of the access tokens it issues) */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** resolves the verification key; default: the remote JWKS at `jwksUrl`, cached */
  keys?: JWTVerifyGetKey;
}

/** Token faults the caller can fix by signing in again: 401. Anything else is ours: 503. */
const CLIENT_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

const BEARER = /^Bearer +([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+) *$/i;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Verifies a customer access token: RS256 only, issuer and audience checked, `sub` and `exp`
 * required. Returns the identity; throws InvalidTokenError for a token the caller must replace.
 */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, opts: { issuer: string; audience: string }): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer: opts.issuer,
      audience: opts.audience,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    // the platform's roles (CUSTOMER, ADMIN, SUPPORT_AGENT) pass on to the subgraphs; others are dropped
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    return { id: payload.sub!, roles };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError && CLIENT_FAULTS.has(err.code)) {
      throw new InvalidTokenError(err.code === 'ERR_JWT_EXPIRED' ? 'Access token expired' : 'Invalid access token', err.code);
    }
    throw err;
  }
}

function unauthenticated(message: string): EarlyResponse {
  return graphqlErrorResponse(401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer error="invalid_token"' });
}

/**
 * `Authorization: Bearer <jwt>` → the verified identity `{ id: sub, roles }` in the request
 * context; no header → anonymous. A bad, expired or foreign token is a 401 UNAUTHENTICATED
 * (never silently anonymous); a JWKS the router cannot fetch is a 503.
 */
export function useAuth(opts: AuthOptions): RouterPlugin {
  const keys = opts.keys ?? createRemoteJWKSet(new URL(opts.jwksUrl), { timeoutDuration: 2_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  return {
    name: 'auth',
    async onRequest(r) {
      if (r.route !== 'graphql') return;
      const header = r.req.headers.authorization;
      if (header === undefined || header === '') return;
      const token = BEARER.exec(header)?.[1];
      if (!token) return unauthenticated('Authorization must be "Bearer <access token>"');
      try {
        r.context.user = await verifyAccessToken(token, keys, opts);
      } catch (err) {
        if (err instanceof InvalidTokenError) {
          r.context.logger.info({ reason: err.reason }, 'rejected access token');
          return unauthenticated(err.message);
        }
        r.context.logger.error({ err }, 'cannot verify access tokens (JWKS unavailable?)');
        return graphqlErrorResponse(503, 'SERVICE_UNAVAILABLE', 'Authentication is temporarily unavailable', { 'retry-after': '5' });
      }
    },
  };
}
