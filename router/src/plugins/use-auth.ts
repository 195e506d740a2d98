import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { API_RESOURCE, isRole, issuedAtMsOf, parseScope, sessionState, type Identity, type Redis } from '@commerce/platform';
import { graphqlErrorResponse, type EarlyResponse, type RouterPlugin } from '../plugin.ts';

export interface AuthOptions {
  /** the customers subgraph's JWKS (public keys of the access tokens it issues) */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** the customers' OAuth provider: its access tokens (aud urn:commerce:graphql) are accepted too */
  oauthIssuer: string;
  /** where ended sessions are recorded (@commerce/platform sessions.ts); read on every authenticated request */
  redis: Redis;
  /** resolves the verification key; default: the remote JWKS at `jwksUrl`, cached */
  keys?: JWTVerifyGetKey;
}

/** Who a verified access token speaks for. */
export type VerifiedCaller =
  | { kind: 'customer'; identity: Identity; issuedAtMs: number; expiresAtMs: number }
  /** a partner's client-credentials token: no customer, the domain scopes it was given */
  | { kind: 'client'; clientId: string; partnerId?: string | undefined; scopes: Set<string>; issuedAtMs: number; expiresAtMs: number };

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
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, opts: { issuer: string; audience: string; oauthIssuer?: string }): Promise<Identity> {
  const caller = await verifyCaller(token, keys, opts);
  if (caller.kind !== 'customer') throw new InvalidTokenError('Invalid access token', 'ERR_NOT_A_CUSTOMER_TOKEN');
  return caller.identity;
}

/**
 * Verifies an access token of either issuer: the GraphQL log-in's (`iss` JWT_ISSUER, `aud`
 * JWT_AUDIENCE) or the OAuth provider's (`iss` OAUTH_ISSUER, `aud` urn:commerce:graphql, header
 * `typ` at+jwt). RS256 only, `sub` and `exp` required. A provider token with `client_id` equal to
 * `sub` is a client-credentials token: it speaks for a partner's client, never for a customer.
 */
export async function verifyCaller(token: string, keys: JWTVerifyGetKey, opts: { issuer: string; audience: string; oauthIssuer?: string }): Promise<VerifiedCaller> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer: opts.oauthIssuer ? [opts.issuer, opts.oauthIssuer] : opts.issuer,
      audience: opts.oauthIssuer ? [opts.audience, API_RESOURCE] : opts.audience,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    const issuedAtMs = issuedAtMsOf(payload);
    const expiresAtMs = payload.exp! * 1000;
    if (opts.oauthIssuer && payload.iss === opts.oauthIssuer) {
      // each issuer with its own audience and token type: no mixing
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(API_RESOURCE) || protectedHeader.typ !== 'at+jwt') throw new InvalidTokenError('Invalid access token', 'ERR_JWT_CLAIM_VALIDATION_FAILED');
      if (typeof payload.client_id === 'string' && payload.client_id === payload.sub && !Array.isArray(payload.roles)) {
        return { kind: 'client', clientId: payload.sub, partnerId: typeof payload.partner === 'string' ? payload.partner : undefined, scopes: parseScope(payload.scope), issuedAtMs, expiresAtMs };
      }
    } else if (!(Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(opts.audience)) {
      throw new InvalidTokenError('Invalid access token', 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    }
    // the platform's roles (CUSTOMER, ADMIN, SUPPORT_AGENT) pass on to the subgraphs; others are dropped
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    const identity: Identity = { id: payload.sub!, roles, ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}) };
    return { kind: 'customer', identity, issuedAtMs, expiresAtMs };
  } catch (err) {
    if (err instanceof InvalidTokenError) throw err;
    if (err instanceof joseErrors.JOSEError && CLIENT_FAULTS.has(err.code)) {
      throw new InvalidTokenError(err.code === 'ERR_JWT_EXPIRED' ? 'Access token expired' : 'Invalid access token', err.code);
    }
    throw err;
  }
}

/** How long a verified token is taken without verifying its signature again, and how many are remembered. */
const VERIFIED_TOKEN_REUSE_MS = 60_000;
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

function unauthenticated(message: string): EarlyResponse {
  return graphqlErrorResponse(401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer error="invalid_token"' });
}

/**
 * `Authorization: Bearer <jwt>` → the verified caller in the request context; no header →
 * anonymous. A customer's token (GraphQL log-in or OAuth authorization code) sets the identity
 * `{ id: sub, roles, sessionId: sid }`; a partner's client-credentials token sets the partner and
 * the token's scopes (useScopes enforces them). A bad, expired or foreign token is a 401
 * UNAUTHENTICATED (never silently anonymous), and so is a token whose session ended (logOut,
 * logOutEverywhere, a revoked grant, a deleted client): one Redis read per authenticated request,
 * no cache, so an ended session is refused on the very next request on every router. A JWKS or
 * Redis the router cannot reach is a 503 (fail closed).
 */
export function useAuth(opts: AuthOptions): RouterPlugin {
  const keys = opts.keys ?? createRemoteJWKSet(new URL(opts.jwksUrl), { timeoutDuration: 2_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  // Tokens verified before, by their exact text: the same text carries the same signature, so a
  // client's next requests need no RSA verification. Kept until the token's exp, at most
  // VERIFIED_TOKEN_REUSE_MS (on top of the JWKS cache's own age, a key dropped from the JWKS is
  // honoured at most that much longer); the session check below still runs on every request.
  const verified = new Map<string, VerifiedCaller & { reuseUntilMs: number }>();
  const verify = async (token: string): Promise<VerifiedCaller> => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.reuseUntilMs > now && hit.expiresAtMs > now) return hit;
    const caller = await verifyCaller(token, keys, opts);
    verified.delete(token);
    verified.set(token, { ...caller, reuseUntilMs: Math.min(caller.expiresAtMs, now + VERIFIED_TOKEN_REUSE_MS) });
    if (verified.size > VERIFIED_TOKEN_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    return caller;
  };
  return {
    name: 'auth',
    async onRequest(r) {
      if (r.route !== 'graphql') return;
      const header = r.req.headers.authorization;
      if (header === undefined || header === '') return;
      const token = BEARER.exec(header)?.[1];
      if (!token) return unauthenticated('Authorization must be "Bearer <access token>"');
      let caller: VerifiedCaller;
      try {
        caller = await verify(token);
      } catch (err) {
        if (err instanceof InvalidTokenError) {
          r.context.logger.info({ reason: err.reason }, 'rejected access token');
          return unauthenticated(err.message);
        }
        r.context.logger.error({ err }, 'cannot verify access tokens (JWKS unavailable?)');
        return graphqlErrorResponse(503, 'SERVICE_UNAVAILABLE', 'Authentication is temporarily unavailable', { 'retry-after': '5' });
      }
      const sub = caller.kind === 'customer' ? caller.identity.id : caller.clientId;
      const sid = caller.kind === 'customer' ? caller.identity.sessionId : undefined;
      try {
        if ((await sessionState(opts.redis, { sub, sid, issuedAtMs: caller.issuedAtMs })) === 'ended') {
          r.context.logger.info({ reason: 'session ended' }, 'rejected access token');
          return unauthenticated('This session has ended; log in again');
        }
      } catch (err) {
        r.context.logger.error({ err }, 'cannot read ended sessions from Redis');
        return graphqlErrorResponse(503, 'SERVICE_UNAVAILABLE', 'Authentication is temporarily unavailable', { 'retry-after': '5' });
      }
      if (caller.kind === 'customer') {
        r.context.user = caller.identity;
      } else {
        r.context.oauthClient = { id: caller.clientId, scopes: caller.scopes };
        if (caller.partnerId) {
          r.context.partner = { id: caller.partnerId };
          r.context.logger = r.context.logger.child({ partnerId: caller.partnerId });
        }
      }
    },
  };
}
