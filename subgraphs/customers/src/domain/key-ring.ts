import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/**
 * The signing keys of access tokens, as a ring that rotates without logging anybody out (issue 13):
 *  - `current` signs every new token (GraphQL log-ins and the OAuth provider's);
 *  - `next` is published in the JWKS before it signs anything, so every router has it cached by
 *    the time a rotation makes it current;
 *  - `retired` keys sign nothing; each stays published for one token lifetime after it was
 *    retired (the tokens it signed stay valid until they expire), and is dropped then: a token
 *    signed with a retired key — even a forged one with a long `exp` — is refused after that.
 * A rotation (`npm run keys:rotate`): next → current, current → retired, a new next. Rings are
 * versioned; each version is a new document, so two rotations at once cannot both win.
 */
export type KeyState = 'current' | 'next' | 'retired';

export interface RingKey {
  kid: string;
  state: KeyState;
  /** PKCS8 PEM of the RSA private key (encrypted at rest by the store) */
  pem: string;
  createdAt: Date;
  retiredAt?: Date;
}

export interface KeyRing {
  version: number;
  keys: RingKey[];
}

export const RSA_MODULUS_BITS = 2048;

/** The router's clock tolerance on `exp` (router/src/plugins/use-auth.ts). */
const VERIFIER_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * How long a retired key stays published: the longest lifetime of a token it can have signed
 * (access and client-credentials tokens; refresh tokens are opaque), plus the verifiers' clock
 * tolerance.
 */
export function retiredKeyLifetimeSeconds(tokenTtls: number[]): number {
  return Math.max(...tokenTtls) + VERIFIER_CLOCK_TOLERANCE_SECONDS;
}

export function generateRingKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export async function kidOf(pem: string): Promise<string> {
  const jwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' }) as JWK;
  return calculateJwkThumbprint({ kty: jwk.kty!, n: jwk.n!, e: jwk.e! }, 'sha256');
}

/** The first ring: the configured key (JWT_PRIVATE_KEY / the key file) as current, a new next. */
export async function bootstrapRing(current: { pem: string; kid: string }, now = new Date(), nextPem = generateRingKeyPem()): Promise<KeyRing> {
  return {
    version: 1,
    keys: [
      { kid: current.kid, state: 'current', pem: current.pem, createdAt: now },
      { kid: await kidOf(nextPem), state: 'next', pem: nextPem, createdAt: now },
    ],
  };
}

/**
 * The ring after one rotation. Retired keys whose lifetime is over (retired more than
 * `tokenLifetimeSeconds` ago) are dropped from the ring altogether.
 */
export async function rotateRing(ring: KeyRing, tokenLifetimeSeconds: number, now = new Date(), nextPem = generateRingKeyPem()): Promise<KeyRing> {
  const current = ring.keys.find((k) => k.state === 'current');
  const next = ring.keys.find((k) => k.state === 'next');
  if (!current || !next) throw new Error('the key ring has no current or no next key');
  const keep = ring.keys.filter((k) => k.state === 'retired' && isPublished(k, tokenLifetimeSeconds, now));
  return {
    version: ring.version + 1,
    keys: [
      { ...next, state: 'current' },
      { kid: await kidOf(nextPem), state: 'next', pem: nextPem, createdAt: now },
      { ...current, state: 'retired', retiredAt: now },
      ...keep,
    ],
  };
}

function isPublished(key: RingKey, tokenLifetimeSeconds: number, now: Date): boolean {
  if (key.state !== 'retired') return true;
  return !!key.retiredAt && now.getTime() - key.retiredAt.getTime() < tokenLifetimeSeconds * 1000;
}

export interface ActiveRing {
  version: number;
  current: { kid: string; privateKey: KeyObject };
  /** current, next and the retired keys still in their lifetime: private keys (the OAuth provider's keystore) */
  published: Array<{ kid: string; privateKey: KeyObject; state: KeyState }>;
}

/** What the service signs and publishes with, at `now`. */
export function activate(ring: KeyRing, tokenLifetimeSeconds: number, now = new Date()): ActiveRing {
  const current = ring.keys.find((k) => k.state === 'current');
  if (!current) throw new Error('the key ring has no current key');
  const order: Record<KeyState, number> = { current: 0, next: 1, retired: 2 };
  const published = ring.keys
    .filter((k) => isPublished(k, tokenLifetimeSeconds, now))
    .sort((a, b) => order[a.state] - order[b.state])
    .map((k) => ({ kid: k.kid, state: k.state, privateKey: createPrivateKey(k.pem) }));
  return { version: ring.version, current: { kid: current.kid, privateKey: published[0]!.privateKey }, published };
}

/** The public JWKS of an active ring (current first). */
export function publicJwks(active: ActiveRing): { keys: JWK[] } {
  return {
    keys: active.published.map((k) => {
      const jwk = createPublicKey(k.privateKey).export({ format: 'jwk' }) as JWK;
      return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: k.kid, alg: 'RS256', use: 'sig' };
    }),
  };
}
