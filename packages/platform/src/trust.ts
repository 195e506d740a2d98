import { isIP } from 'node:net';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { parseRouterPublicKey, parseRouterSigningKey, type RouterSigningKey, type RouterVerificationKey } from './router-keys.ts';

/**
 * How a subgraph knows a request came from the router, and who the caller is.
 *
 * The router verifies the customer's RS256 access token (customers' JWKS) and forwards the
 * identity in `x-commerce-context`: a JWT the router signs with its private key (EdDSA or ES256,
 * `ROUTER_SIGNING_KEY`, see router-keys.ts), one per subgraph and request, with
 *  - `aud` = the name of the one subgraph it is for: a token sent to orders is refused by payments;
 *  - `exp` required, at most INTERNAL_CONTEXT_TTL_SECONDS after `iat` (also required);
 *  - `iss` = commerce-router and header `typ` = commerce-context+jwt.
 * Subgraphs verify with the router's public key only (`ROUTER_PUBLIC_KEY`): none of them can sign a
 * context another would accept. A subgraph answers nothing — not `_service`, not `_entities` —
 * without a valid one, so a caller that reaches a subgraph port directly can neither read data nor
 * forge an identity (security review finding 5).
 */
export const CONTEXT_HEADER = 'x-commerce-context';
const ISSUER = 'commerce-router';
const TOKEN_TYPE = 'commerce-context+jwt';
/** lifetime of a router context: a request's fetches, not a session */
export const INTERNAL_CONTEXT_TTL_SECONDS = 60;
/** clock skew tolerated between the router's host and a subgraph's */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Every role a token can carry. CUSTOMER comes with every account; ADMIN and SUPPORT_AGENT are
 * granted (by the dev seed, or by an admin's `grantRole`). A role not listed here is dropped
 * wherever an identity is read (the router's access-token check, this module's context check).
 */
export const ROLES = ['CUSTOMER', 'ADMIN', 'SUPPORT_AGENT'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<unknown> = new Set<unknown>(ROLES);
export function isRole(value: unknown): value is Role {
  return ROLE_SET.has(value);
}

export interface Identity {
  /** customer id (`cust_…`) */
  id: string;
  roles: Role[];
}
export interface InternalContext {
  user: Identity | null;
  requestId: string;
  /** W3C traceparent of the incoming request, propagated to logs and events */
  traceparent?: string;
  /**
   * The client's address as the router determined it (the socket's, or `X-Forwarded-For` when
   * the socket is a trusted proxy: ROUTER_TRUSTED_PROXIES). Claim `ip`; absent when the caller is
   * not the router's GraphQL path (internal calls, tests calling a subgraph directly).
   */
  clientIp?: string;
}

/** A signing key, or its PEM / JWK text (tests and tools that act as the router). */
export type SigningKeyInput = RouterSigningKey | string;
/** A verification key, or the public key's PEM / JWK text. Never a private key. */
export type VerificationKeyInput = RouterVerificationKey | string;

const signingKey = (k: SigningKeyInput): RouterSigningKey => (typeof k === 'string' ? parseRouterSigningKey(k, 'router signing key') : k);
function verificationKey(k: VerificationKeyInput): RouterVerificationKey {
  const key = typeof k === 'string' ? parseRouterPublicKey(k, 'router public key') : k;
  // structural: what verifies holds no private key (a signing key is refused here, not used)
  if (key.use !== 'verify' || key.publicKey.type !== 'public') throw new TypeError('verifyInternalContext takes the router\'s public key only');
  return key;
}

export interface SignContextOptions {
  /** the subgraph the token is for (its name in the supergraph); it accepts no other */
  audience: string;
}

/** Signs the context for one subgraph (`aud`), valid for INTERNAL_CONTEXT_TTL_SECONDS. */
export async function signInternalContext(key: SigningKeyInput, ctx: InternalContext, opts: SignContextOptions): Promise<string> {
  if (!opts?.audience) throw new TypeError('signInternalContext needs the audience (the subgraph the token is for)');
  const k = signingKey(key);
  const claims: Record<string, unknown> = { rid: ctx.requestId };
  if (ctx.user) claims.roles = ctx.user.roles;
  if (ctx.traceparent) claims.tp = ctx.traceparent;
  if (ctx.clientIp) claims.ip = ctx.clientIp;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: k.alg, typ: TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_CONTEXT_TTL_SECONDS}s`);
  if (ctx.user) jwt.setSubject(ctx.user.id);
  return jwt.sign(k.privateKey);
}

export class UntrustedCallerError extends Error {
  override name = 'UntrustedCallerError';
}

export interface VerifyContextOptions {
  /**
   * the audiences accepted: the subgraph's own name for its GraphQL endpoint; for an internal
   * route, the subgraphs allowed to forward the context they received (see callInternal)
   */
  audience: string | readonly string[];
}

/**
 * Verifies a router context: the router's signature (public key, its algorithm only — an HMAC
 * token or one signed by any other key fails), `iss`, `typ`, one of the accepted audiences, and a
 * short lifetime (`exp` and `iat` required, exp − iat ≤ INTERNAL_CONTEXT_TTL_SECONDS, not expired).
 */
export async function verifyInternalContext(key: VerificationKeyInput, token: string | undefined, opts: VerifyContextOptions): Promise<InternalContext> {
  if (!token) throw new UntrustedCallerError('missing router context');
  const k = verificationKey(key);
  const audience = typeof opts.audience === 'string' ? opts.audience : [...opts.audience];
  if (audience.length === 0) throw new TypeError('verifyInternalContext needs the accepted audience');
  try {
    const { payload } = await jwtVerify(token, k.publicKey, {
      issuer: ISSUER,
      audience,
      algorithms: [k.alg],
      typ: TOKEN_TYPE,
      requiredClaims: ['exp', 'iat', 'aud'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: INTERNAL_CONTEXT_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.exp! - payload.iat! > INTERNAL_CONTEXT_TTL_SECONDS) throw new UntrustedCallerError('invalid router context: lifetime longer than allowed');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    return {
      user: payload.sub ? { id: payload.sub, roles } : null,
      requestId: typeof payload.rid === 'string' ? payload.rid : 'unknown',
      ...(typeof payload.tp === 'string' ? { traceparent: payload.tp } : {}),
      // an address, or nothing: the claim is signed, but a subgraph keys limits on it
      ...(typeof payload.ip === 'string' && isIP(payload.ip) ? { clientIp: payload.ip } : {}),
    };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) throw new UntrustedCallerError(`invalid router context: ${err.code}`);
    throw err;
  }
}
