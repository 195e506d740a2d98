import { createSecretKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/**
 * How a subgraph knows a request came from the router, and who the caller is.
 *
 * The router verifies the customer's RS256 access token (customers' JWKS) and forwards the
 * identity as a short-lived HS256 token signed with ROUTER_SECRET in `x-commerce-context`. A
 * subgraph answers nothing — not `_service`, not `_entities` — without a valid one, so a caller
 * that reaches a subgraph port directly can neither read data nor forge an identity.
 */
export const CONTEXT_HEADER = 'x-commerce-context';
const ISSUER = 'commerce-router';
const AUDIENCE = 'commerce-subgraphs';
const TTL_SECONDS = 60;

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

// A KeyObject, created once per secret: jose would otherwise re-import raw bytes on every call.
const keyCache = new Map<string, KeyObject>();
function key(secret: string): KeyObject {
  let k = keyCache.get(secret);
  if (!k) {
    k = createSecretKey(Buffer.from(secret, 'utf8'));
    keyCache.set(secret, k);
  }
  return k;
}

export async function signInternalContext(secret: string, ctx: InternalContext): Promise<string> {
  const claims: Record<string, unknown> = { rid: ctx.requestId };
  if (ctx.user) claims.roles = ctx.user.roles;
  if (ctx.traceparent) claims.tp = ctx.traceparent;
  if (ctx.clientIp) claims.ip = ctx.clientIp;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(`${TTL_SECONDS}s`);
  if (ctx.user) jwt.setSubject(ctx.user.id);
  return jwt.sign(key(secret));
}

export class UntrustedCallerError extends Error {
  override name = 'UntrustedCallerError';
}

export async function verifyInternalContext(secret: string, token: string | undefined): Promise<InternalContext> {
  if (!token) throw new UntrustedCallerError('missing router context');
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
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
