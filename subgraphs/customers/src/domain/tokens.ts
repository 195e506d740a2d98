import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { Role } from '@commerce/platform';

/**
 * Access tokens: RS256 JWTs that the router verifies with this service's JWKS
 * (`GET /.well-known/jwks.json`). Claims: `sub` = customer id, `roles`; no personal data (no
 * email: a token is readable by whoever holds it, and nothing downstream needs more than the id).
 * `roles` are the customer's roles when the token is issued: a grantRole/revokeRole shows in the
 * tokens of the customer's next log-in; tokens issued before keep their roles until they expire,
 * which is why their lifetime is capped (MAX_ACCESS_TOKEN_TTL_SECONDS).
 * `sid` names the log-in's session (what `logOut` ends) and `iat_ms` the issue time to the
 * millisecond (what `logOutEverywhere` compares with): see @commerce/platform sessions.ts.
 */
export const TOKEN_ISSUER = 'commerce-customers';
export const TOKEN_AUDIENCE = 'commerce';
export const TOKEN_ALG = 'RS256';

/** Longest accepted ACCESS_TOKEN_TTL: 24 h (tokens cannot be revoked, only outlived). */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 3600;

export interface TokenSubject {
  id: string;
  roles: Role[];
  /** the session the token belongs to; default a new one (a log-in) */
  sessionId?: string;
}

export interface TokenIssuer {
  /** key id in every token's header and in the JWKS */
  readonly kid: string;
  issue(subject: TokenSubject): Promise<string>;
  /** the public key set the router fetches */
  jwks(): { keys: JWK[] };
}

/** Where the issuer's keys come from: the service's key ring (key-ring.ts), read at every issue. */
export interface TokenKeys {
  current(): { kid: string; privateKey: KeyObject };
  jwks(): { keys: JWK[] };
}

export function createTokenIssuer(keys: TokenKeys, ttlSeconds: number): TokenIssuer {
  return {
    get kid() {
      return keys.current().kid;
    },
    async issue(subject) {
      const { kid, privateKey } = keys.current();
      const nowMs = Date.now();
      const now = Math.floor(nowMs / 1000);
      return new SignJWT({ roles: subject.roles, sid: subject.sessionId ?? newSessionId(), iat_ms: nowMs })
        .setProtectedHeader({ alg: TOKEN_ALG, kid, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(subject.id)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
    jwks: () => keys.jwks(),
  };
}

/** A GraphQL log-in's session id (`ses_…`); OAuth sessions are named by their grant id. */
export function newSessionId(): string {
  return `ses_${randomUUID().replace(/-/g, '')}`;
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses a token lifetime such as `15m`, `1h`, `3600` (seconds) or `2d`; undefined when malformed. */
export function parseTtl(raw: string): number | undefined {
  const m = /^\s*(\d{1,7})\s*([smhd]?)\s*$/.exec(raw);
  if (!m) return undefined;
  const seconds = Number(m[1]) * (TTL_UNITS[m[2] || 's'] ?? 1);
  return seconds > 0 ? seconds : undefined;
}
