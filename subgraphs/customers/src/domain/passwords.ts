import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto, off the event loop on libuv's pool).
 * Stored format: `scrypt$N$r$p$<salt base64url>$<hash base64url>`: every hash carries its own
 * parameters, so the cost can be raised without invalidating existing hashes (verify reads them
 * from the hash) and a log-in can tell that a hash is weaker than today's and rehash it.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** log2 of scrypt's N by default: N = 2^17, r = 8, p = 1 (OWASP Password Storage Cheat Sheet). */
export const DEFAULT_SCRYPT_LOG_N = 17;
/** The lowest log2 N allowed outside NODE_ENV=test; tests may go lower to stay fast. */
export const MIN_SCRYPT_LOG_N = 14;
/** The highest log2 N the config accepts: 2^18 · r=8 is 256 MiB per running KDF. */
export const MAX_SCRYPT_LOG_N = 18;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Upper bounds for parameters read back from a stored hash, so a bad row cannot exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Why a KDF ran: a sign-up's hash, a log-in's verification, a rehash, or decoy work (unknown email, padding). */
export type KdfPurpose = 'hash' | 'verify' | 'rehash' | 'burn' | 'pad';

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

export interface Verification {
  ok: boolean;
  /** the password matched a hash made with weaker parameters than today's: store a new one */
  needsRehash: boolean;
}

export interface PasswordHasher {
  readonly params: Readonly<ScryptParams>;
  /** a fresh salt and today's parameters */
  hash(password: string, purpose?: 'hash' | 'rehash'): Promise<string>;
  /**
   * Compares in constant time; a malformed hash never matches. A hash weaker than today's is
   * padded with a decoy run at today's cost, so an account not yet rehashed answers a wrong
   * password as slowly as an unknown email does.
   */
  verify(password: string, stored: string): Promise<Verification>;
  /** the same work as a verification, against a hash nobody's password matches (unknown email) */
  burn(password: string): Promise<void>;
}

export interface PasswordHasherOptions {
  /** log2 of N (17 → N = 131072) */
  logN?: number;
  /**
   * How many KDFs may run at once in this process (the rest wait). Each takes 128·N·r bytes
   * (128 MiB at N=2^17), outside the JS heap; libuv's pool would run 4.
   */
  maxConcurrent?: number;
  /** called once per KDF run (metrics; tests count runs) */
  onKdf?: (purpose: KdfPurpose) => void;
}

/** True when `stored` was made with weaker parameters than `target`. */
export function isWeaker(stored: ScryptParams & { hash?: Buffer }, target: ScryptParams): boolean {
  return stored.N < target.N || stored.r < target.r || stored.p < target.p || (stored.hash !== undefined && stored.hash.length < KEY_LENGTH);
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s ?? '') ? Number(s) : NaN)) as [number, number, number];
  const isPowerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

/** The parameters of a stored hash, or null when it is not one of ours. */
export function hashParams(stored: string): ScryptParams | null {
  const parsed = parseHash(stored);
  return parsed && { N: parsed.N, r: parsed.r, p: parsed.p };
}

/** A counting semaphore: at most `limit` holders; the others wait in arrival order. */
function semaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export function createPasswordHasher(opts: PasswordHasherOptions = {}): PasswordHasher {
  const logN = opts.logN ?? DEFAULT_SCRYPT_LOG_N;
  if (!Number.isInteger(logN) || logN < 1 || logN > MAX_SCRYPT_LOG_N) throw new RangeError(`scrypt log2 N must be an integer from 1 to ${MAX_SCRYPT_LOG_N}, got ${logN}`);
  const params: ScryptParams = Object.freeze({ N: 2 ** logN, r: R, p: P });
  const limit = semaphore(Math.max(1, opts.maxConcurrent ?? 2));
  const onKdf = opts.onKdf ?? (() => undefined);

  const derive = (purpose: KdfPurpose, password: string, salt: Buffer, { N, r, p }: ScryptParams, keyLength: number): Promise<Buffer> => {
    // scrypt needs 128·N·r bytes (128 MiB at N=2^17, r=8) plus a little; Node's default cap is 32 MiB
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 2 * 1024 * 1024 };
    return limit(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          onKdf(purpose);
          // NFKC: the same password typed on different keyboards/IMEs hashes the same (NIST SP 800-63B).
          scryptCb(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
        }),
    );
  };

  const hash = async (password: string, purpose: 'hash' | 'rehash' = 'hash'): Promise<string> => {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(purpose, password, salt, params, KEY_LENGTH);
    return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  };

  const check = async (purpose: 'verify' | 'burn', password: string, stored: string): Promise<Verification> => {
    const parsed = parseHash(stored);
    if (!parsed) return { ok: false, needsRehash: false };
    const weaker = isWeaker(parsed, params);
    const [candidate] = await Promise.all([
      derive(purpose, password, parsed.salt, parsed, parsed.hash.length),
      // today's cost, whatever the hash's: a not-yet-rehashed account must not answer faster than an unknown email
      weaker ? derive('pad', password, parsed.salt, params, KEY_LENGTH) : undefined,
    ]);
    const ok = timingSafeEqual(candidate, parsed.hash);
    return { ok, needsRehash: ok && weaker };
  };

  let dummyHash: Promise<string> | undefined;
  return {
    params,
    hash,
    verify: (password, stored) => check('verify', password, stored),
    async burn(password) {
      dummyHash ??= hash(randomBytes(18).toString('base64url'));
      await check('burn', password, await dummyHash);
    },
  };
}
