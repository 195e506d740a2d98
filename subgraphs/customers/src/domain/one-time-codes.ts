import { createHash, createHmac, randomInt } from 'node:crypto';
import { keyDigest } from './redis-limits.ts';
import type { Redis } from '@commerce/platform';

/**
 * Single-use, expiring codes mailed to the account's address: password reset and email
 * verification share this one module. A code is 8 digits; Redis keeps only its hash (HMAC-SHA256
 * with ACCOUNT_CODE_SECRET when set, else SHA-256), per purpose and subject, with a TTL:
 *
 * - issuing replaces the subject's earlier code of that purpose (a new request invalidates the old);
 * - consuming is one Lua script (atomic in Redis): the right code is deleted as it is accepted, so of
 *   any number of concurrent submissions of one code exactly one succeeds; a wrong one counts a
 *   try, and the `maxAttempts`-th wrong try deletes the code (guessing burns it);
 * - no database write decides single use (FerretDB's updates are not atomic with their filters).
 */
export type CodePurpose = 'password-reset' | 'email-verification';

export const CODE_DIGITS = 8;

export type ConsumeOutcome =
  /** the code was right and is now used up; `binding` is what it was issued for */
  | { status: 'accepted'; binding: string }
  /** no code (never issued, expired, used, replaced or burnt) */
  | { status: 'missing' }
  /** wrong code; the stored one stays for another try */
  | { status: 'wrong' }
  /** wrong code, and that was the last try: the stored one is gone */
  | { status: 'burnt' };

export interface OneTimeCodes {
  ttlSeconds(purpose: CodePurpose): number;
  /**
   * A fresh code for (purpose, subject), replacing any earlier one; `binding` comes back on
   * acceptance (the customer id, the address being verified). Returns the plain code, to be mailed
   * and then forgotten.
   */
  issue(purpose: CodePurpose, subject: string, binding: string): Promise<string>;
  consume(purpose: CodePurpose, subject: string, presented: string): Promise<ConsumeOutcome>;
}

export interface OneTimeCodesOptions {
  redis: Redis;
  /** `customers:codes:<db name>` */
  keyPrefix: string;
  ttlSeconds: Record<CodePurpose, number>;
  /** wrong tries that burn a code */
  maxAttempts: number;
  /** HMAC key for the stored hashes (ACCOUNT_CODE_SECRET); without it plain SHA-256 */
  secret?: string | undefined;
}

// KEYS[1] the code's hash; ARGV[1] the presented code's digest, ARGV[2] max wrong tries
const CONSUME = `
local stored = redis.call('HMGET', KEYS[1], 'h', 'b')
if not stored[1] then return {0, ''} end
if stored[1] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1, stored[2]}
end
local tries = redis.call('HINCRBY', KEYS[1], 't', 1)
if tries >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return {3, ''}
end
return {2, ''}
`;

/** A fresh code: 8 uniformly random digits. */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** What a user typed, as the code it may be: spaces and dashes dropped ("1234 5678" → "12345678"). */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').slice(0, 64);
}


export function createOneTimeCodes(opts: OneTimeCodesOptions): OneTimeCodes {
  const keyOf = (purpose: CodePurpose, subject: string) => `${opts.keyPrefix}:${purpose}:${keyDigest(subject)}`;
  // bound to purpose and subject: a stored hash says nothing about another key's code
  const hashOf = (purpose: CodePurpose, subject: string, code: string) => {
    const input = `${purpose}\0${subject}\0${code}`;
    return (opts.secret ? createHmac('sha256', opts.secret).update(input) : createHash('sha256').update(input)).digest('base64url');
  };
  return {
    ttlSeconds: (purpose) => opts.ttlSeconds[purpose],
    async issue(purpose, subject, binding) {
      const code = newCode();
      const key = keyOf(purpose, subject);
      const results = await opts.redis.multi().del(key).hset(key, { h: hashOf(purpose, subject, code), b: binding, t: 0 }).expire(key, opts.ttlSeconds[purpose]).exec();
      const failed = results?.find(([err]) => err)?.[0];
      if (!results || failed) throw new Error(`could not store a ${purpose} code: ${failed?.message ?? 'transaction aborted'}`);
      return code;
    },
    async consume(purpose, subject, presented) {
      const code = normalizeCode(presented);
      const [status, binding] = (await opts.redis.eval(CONSUME, 1, keyOf(purpose, subject), hashOf(purpose, subject, code), opts.maxAttempts)) as [number, string];
      switch (status) {
        case 1:
          return { status: 'accepted', binding };
        case 2:
          return { status: 'wrong' };
        case 3:
          return { status: 'burnt' };
        default:
          return { status: 'missing' };
      }
    },
  };
}
