import type { Redis } from './redis.ts';

/**
 * Sessions that can end (issue 13): what the customers service (which ends sessions) and the
 * router (which refuses their tokens) agree on. Access tokens are JWTs the router verifies without
 * calling anyone, so ending a session is a fact the router reads from Redis on every
 * authenticated request — one pipelined round trip, no local cache, so a log-out holds on the very
 * next request on every router instance (well inside the 1 s the issue asks for).
 *
 * Two facts, both expiring when no token they concern can still be alive:
 *  - `auth:session-ended:<sid>`: one session is over (`logOut`, a revoked OAuth grant, a reused
 *    refresh token). Every access token names its session in `sid`: the log-in's for the GraphQL
 *    `logIn`, the OAuth grant's for tokens of the authorization-code flow.
 *  - `auth:not-before:<sub>`: every token of this subject issued before this instant is refused
 *    (`logOutEverywhere`, a password change or reset). Compared with the token's `iat_ms` claim
 *    (milliseconds; tokens without it: the start of their `iat` second, so one issued in the same
 *    second as the log-out is refused rather than kept).
 */
export const SESSION_ENDED_PREFIX = 'auth:session-ended:';
export const NOT_BEFORE_PREFIX = 'auth:not-before:';

/** A session id: what `sid` may hold (the router refuses anything else rather than build odd keys). */
const SID = /^[\w.-]{1,128}$/;

export interface SessionClaims {
  sub: string;
  sid?: string | undefined;
  /** when the token was issued, in milliseconds */
  issuedAtMs: number;
}

/** The issue time of a verified token's payload: `iat_ms` when present, else the start of its `iat` second. */
export function issuedAtMsOf(payload: { iat?: number | undefined; iat_ms?: unknown }): number {
  if (typeof payload.iat_ms === 'number' && Number.isFinite(payload.iat_ms)) return payload.iat_ms;
  return (payload.iat ?? 0) * 1000;
}

/**
 * Ends one session: its tokens are refused from the next request on, until `ttlSeconds` (the
 * longest lifetime of a token that can name it: refresh tokens for OAuth grants).
 */
export async function endSession(redis: Redis, sid: string, ttlSeconds: number): Promise<void> {
  if (!SID.test(sid)) throw new TypeError('not a session id');
  await redis.set(SESSION_ENDED_PREFIX + sid, String(Date.now()), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
}

/**
 * Ends every session of a subject: tokens issued before `atMs` are refused. Never moves the
 * instant back (a late, older call cannot revive tokens a newer one ended).
 */
export async function endAllSessions(redis: Redis, sub: string, ttlSeconds: number, atMs: number = Date.now()): Promise<void> {
  await redis.eval(
    // keep the later instant; refresh the expiry either way
    "local cur = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end redis.call('EXPIRE', KEYS[1], ARGV[2]) return 1",
    1,
    NOT_BEFORE_PREFIX + sub,
    String(atMs),
    String(Math.max(1, Math.ceil(ttlSeconds))),
  );
}

export type SessionState = 'active' | 'ended';

/** Whether a token's session is still on: one MGET of both facts. Redis errors propagate (callers fail closed). */
export async function sessionState(redis: Redis, claims: SessionClaims): Promise<SessionState> {
  const sid = claims.sid && SID.test(claims.sid) ? claims.sid : undefined;
  const [ended, notBefore] = await redis.mget(sid ? SESSION_ENDED_PREFIX + sid : `${SESSION_ENDED_PREFIX}-`, NOT_BEFORE_PREFIX + claims.sub);
  if (sid && ended !== null) return 'ended';
  if (notBefore !== null && claims.issuedAtMs < Number(notBefore)) return 'ended';
  return 'active';
}
