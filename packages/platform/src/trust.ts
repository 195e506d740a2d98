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
  /**
   * the session of the caller's access token (`sid`): what `logOut` ends. Forwarded to subgraphs
   * as claim `sid`; absent for tokens that name none.
   */
  sessionId?: string;
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
  /**
   * The partner the router identified for this request (an `x-api-key`, or a client-credentials
   * token): claim `ptn`. Absent for storefront and customer requests.
   */
  partner?: { id: string };
}

/** A partner id as the customers subgraph makes them (`ptnr_…`): what a `ptn` claim may hold. */
const PARTNER_ID = /^ptnr_[A-Za-z0-9_-]{1,64}$/;

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
  /** when it is issued (default now; `iat`, and `exp` INTERNAL_CONTEXT_TTL_SECONDS later) */
  issuedAtMs?: number;
}

/** Signs the context for one subgraph (`aud`), valid for INTERNAL_CONTEXT_TTL_SECONDS. */
export async function signInternalContext(key: SigningKeyInput, ctx: InternalContext, opts: SignContextOptions): Promise<string> {
  if (!opts?.audience) throw new TypeError('signInternalContext needs the audience (the subgraph the token is for)');
  const k = signingKey(key);
  const claims: Record<string, unknown> = ctx.requestId ? { rid: ctx.requestId } : {};
  if (ctx.user) claims.roles = ctx.user.roles;
  if (ctx.user?.sessionId) claims.sid = ctx.user.sessionId;
  if (ctx.traceparent) claims.tp = ctx.traceparent;
  if (ctx.clientIp) claims.ip = ctx.clientIp;
  if (ctx.partner) claims.ptn = ctx.partner.id;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: k.alg, typ: TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(opts.audience)
    .setIssuedAt(Math.floor((opts.issuedAtMs ?? Date.now()) / 1000))
    .setExpirationTime(Math.floor((opts.issuedAtMs ?? Date.now()) / 1000) + INTERNAL_CONTEXT_TTL_SECONDS);
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
  return (await verifyWithExpiry(key, token, opts)).context;
}

async function verifyWithExpiry(key: VerificationKeyInput, token: string | undefined, opts: VerifyContextOptions, nowMs?: number): Promise<{ context: InternalContext; expiresAtMs: number }> {
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
      ...(nowMs !== undefined ? { currentDate: new Date(nowMs) } : {}),
    });
    if (payload.exp! - payload.iat! > INTERNAL_CONTEXT_TTL_SECONDS) throw new UntrustedCallerError('invalid router context: lifetime longer than allowed');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    const context: InternalContext = {
      user: payload.sub ? { id: payload.sub, roles, ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}) } : null,
      // '' when the token names no request (the router's reusable tokens): the caller takes it from x-request-id
      requestId: typeof payload.rid === 'string' ? payload.rid : '',
      ...(typeof payload.tp === 'string' ? { traceparent: payload.tp } : {}),
      // an address, or nothing: the claim is signed, but a subgraph keys limits on it
      ...(typeof payload.ip === 'string' && isIP(payload.ip) ? { clientIp: payload.ip } : {}),
      // a partner id, or nothing: subgraphs scope partner data by it
      ...(typeof payload.ptn === 'string' && PARTNER_ID.test(payload.ptn) ? { partner: { id: payload.ptn } } : {}),
    };
    return { context, expiresAtMs: payload.exp! * 1000 };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) throw new UntrustedCallerError(`invalid router context: ${err.code}`);
    throw err;
  }
}

/** How long the router reuses a context token it signed (half its lifetime: every token sent has 30 s left). */
export const CONTEXT_REUSE_MS = (INTERNAL_CONTEXT_TTL_SECONDS * 1000) / 2;
/** Most entries a signer or verifier remembers (then the oldest go first). */
const CONTEXT_CACHE_SIZE = 10_000;

/** A bounded map that forgets its oldest entries first (Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > CONTEXT_CACHE_SIZE) map.delete(map.keys().next().value as string);
}

export interface ContextSigner {
  /** a token for this caller and subgraph: the same one for CONTEXT_REUSE_MS, then a fresh one */
  sign(ctx: Pick<InternalContext, 'user' | 'clientIp' | 'partner'>, audience: string): Promise<string>;
}

/**
 * The router's signer. A context token names who the caller is, for which subgraph, from which
 * address, and nothing per request (the request id and the trace travel as `x-request-id` and
 * `traceparent`, which only correlate): so one token serves a caller's requests to a subgraph
 * for CONTEXT_REUSE_MS, and neither the router (an Ed25519 signature) nor the subgraph (a
 * verification, see createContextVerifier) pays per request. A token is a bearer credential
 * for its 60 s either way; reusing it widens nothing.
 */
export function createContextSigner(key: SigningKeyInput, opts: { now?: () => number } = {}): ContextSigner {
  const k = signingKey(key);
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, { token: Promise<string>; signedAt: number }>();
  return {
    sign(ctx, audience) {
      const id = `${audience}\n${ctx.user ? `${ctx.user.id}\n${ctx.user.roles.join(',')}\n${ctx.user.sessionId ?? '-'}` : '-'}\n${ctx.clientIp ?? '-'}\n${ctx.partner?.id ?? '-'}`;
      const at = now();
      const hit = tokens.get(id);
      if (hit && at - hit.signedAt < CONTEXT_REUSE_MS) return hit.token;
      const token = signInternalContext(k, { user: ctx.user, requestId: '', ...(ctx.clientIp ? { clientIp: ctx.clientIp } : {}), ...(ctx.partner ? { partner: { id: ctx.partner.id } } : {}) }, { audience, issuedAtMs: at });
      token.catch(() => tokens.delete(id));
      remember(tokens, id, { token, signedAt: at });
      return token;
    },
  };
}

export interface ContextVerifier {
  verify(token: string | undefined, opts: VerifyContextOptions): Promise<InternalContext>;
}

/**
 * A subgraph's verifier: verifyInternalContext, remembering each token it accepted (by its exact
 * text and the audiences asked for) until the token's `exp`. The same text carries the same
 * signature, so a token seen before needs no second signature check; anything else — a changed
 * character, another audience, an expired token — is verified (or refused) in full.
 */
export function createContextVerifier(key: VerificationKeyInput, opts: { now?: () => number } = {}): ContextVerifier {
  const k = verificationKey(key);
  const now = opts.now ?? Date.now;
  const accepted = new Map<string, { context: InternalContext; expiresAtMs: number }>();
  return {
    async verify(token, vopts) {
      if (!token) throw new UntrustedCallerError('missing router context');
      const id = `${typeof vopts.audience === 'string' ? vopts.audience : vopts.audience.join(',')}\n${token}`;
      const hit = accepted.get(id);
      if (hit) {
        if (now() < hit.expiresAtMs) return hit.context;
        accepted.delete(id);
      }
      const at = now();
      const verified = await verifyWithExpiry(k, token, vopts, at);
      if (at < verified.expiresAtMs) remember(accepted, id, verified);
      return verified.context;
    },
  };
}
