import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { Role } from '@commerce/platform';
import type { SigningKey } from './signing-key.ts';

/**
 * Access tokens: RS256 JWTs that the router verifies with this service's JWKS
 * (`GET /.well-known/jwks.json`). Claims: `sub` = customer id, `roles`; no personal data (no
 * email: a token is readable by whoever holds it, and nothing downstream needs more than the id).
 * `roles` are the customer's roles when the token is issued: a grantRole/revokeRole shows in the
 * tokens of the customer's next log-in; tokens issued before keep their roles until they expire,
 * which is why their lifetime is capped (MAX_ACCESS_TOKEN_TTL_SECONDS).
 */
export const TOKEN_ISSUER = 'commerce-customers';
export const TOKEN_AUDIENCE = 'commerce';
export const TOKEN_ALG = 'RS256';

/** Longest accepted ACCESS_TOKEN_TTL: 24 h (tokens cannot be revoked, only outlived). */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 3600;

export interface TokenSubject {
  id: string;
  roles: Role[];
}

export interface TokenIssuer {
  /** key id in every token's header and in the JWKS */
  readonly kid: string;
  issue(subject: TokenSubject): Promise<string>;
  /** the public key set the router fetches */
  jwks(): { keys: JWK[] };
}

export function createTokenIssuer(key: SigningKey, ttlSeconds: number): TokenIssuer {
  const privateKey: KeyObject = key.privateKey;
  const publicJwk: JWK = { ...key.publicJwk, kid: key.kid, alg: TOKEN_ALG, use: 'sig' };
  return {
    kid: key.kid,
    async issue(subject) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ roles: subject.roles })
        .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(subject.id)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
    jwks: () => ({ keys: [publicJwk] }),
  };
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses a token lifetime such as `15m`, `1h`, `3600` (seconds) or `2d`; undefined when malformed. */
export function parseTtl(raw: string): number | undefined {
  const m = /^\s*(\d{1,7})\s*([smhd]?)\s*$/.exec(raw);
  if (!m) return undefined;
  const seconds = Number(m[1]) * (TTL_UNITS[m[2] || 's'] ?? 1);
  return seconds > 0 ? seconds : undefined;
}
