import { isIPv4, isIPv6 } from 'node:net';
import { RateLimiterRes, type RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger, Redis } from '@commerce/platform';
import { keyDigest, redisLimiter } from './redis-limits.ts';

/**
 * Log-in brute-force protection (rate-limiter-flexible's "login endpoint protection" pattern, with
 * the "dynamic block duration" escalation), in Redis so every customers instance shares it.
 *
 * Two scopes: the account (the normalized email, whether or not an account has it, so the answer
 * never tells which emails exist) and the client IP (from the router's signed context; IPv6 by
 * /64, which one subscriber typically gets). Each counts attempts in a fixed window of
 * `windowSeconds`; `maxFailures` attempts may fail, the next ones are refused before any database
 * read or KDF. The attempt is counted *before* the password is checked (one atomic INCR), so
 * concurrent attempts — parallel requests, or many aliased `logIn` fields — can never run more
 * KDFs than the limit allows; a successful log-in gives its point back (IP) or resets the account.
 *
 * The attempt that crosses the limit blocks the key: `blockSeconds` the first time, doubling with
 * every further block of that key (up to `maxBlockSeconds`) while the previous one is remembered
 * (until `maxBlockSeconds` after the last block ended). A successful log-in clears the account's blocks too.
 *
 * Redis down: each limiter falls back to an in-memory one of this instance (`insuranceLimiter`),
 * so attempts stay limited per instance instead of unlimited.
 */

export interface ThrottleLimits {
  /** failed attempts per account (email) per window before attempts are refused */
  maxFailuresPerAccount: number;
  /** failed attempts per client IP per window */
  maxFailuresPerIp: number;
  windowSeconds: number;
  /** the first block; every further consecutive block doubles it */
  blockSeconds: number;
  maxBlockSeconds: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  maxFailuresPerAccount: 10,
  maxFailuresPerIp: 100,
  windowSeconds: 15 * 60,
  blockSeconds: 15 * 60,
  maxBlockSeconds: 24 * 60 * 60,
};

export type ThrottleScope = 'account' | 'ip';

/** Who is trying: the normalized email, and the client IP when the router sent one. */
export interface AttemptKeys {
  email: string;
  ip?: string | undefined;
}

export type Admission =
  | { allowed: true; attempt: Attempt }
  | { allowed: false; retryAfterSeconds: number; scope: ThrottleScope };

/** One admitted attempt. It was counted as a failure when admitted: only a success needs reporting. */
export interface Attempt {
  succeeded(): Promise<void>;
}

export interface LoginThrottle {
  readonly limits: ThrottleLimits;
  /** counts the attempt, or refuses it (no KDF may run then) */
  admit(keys: AttemptKeys): Promise<Admission>;
}

export interface LoginThrottleOptions {
  redis: Redis;
  /** keeps services and test databases apart in one Redis: `customers:login:<db name>` */
  keyPrefix: string;
  limits: ThrottleLimits;
  logger: Logger;
  /** called for each refused attempt (metrics) */
  onRefused?: (scope: ThrottleScope) => void;
}

/** Expands an IPv6 address to its 8 groups (no embedded IPv4 expected but handled). */
function ipv6Groups(ip: string): string[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0'));
}

/**
 * The IP bucket: an IPv4 address as is (also when IPv4-mapped, `::ffff:1.2.3.4`); an IPv6 address
 * by its /64, since one subscriber usually holds a whole /64. Undefined for anything else.
 */
export function ipBucket(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  const groups = ipv6Groups(ip);
  if (groups.slice(0, 5).every((g) => g === '0000') && groups[5] === 'ffff') {
    const [hi, lo] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

interface ScopeLimiter {
  scope: ThrottleScope;
  key: string;
  failures: RateLimiterRedis;
  strikes: RateLimiterRedis;
}

export function createLoginThrottle(opts: LoginThrottleOptions): LoginThrottle {
  const { redis, keyPrefix, limits, logger } = opts;
  const make = (scope: ThrottleScope, points: number) => {
    return {
      failures: redisLimiter(redis, { keyPrefix: `${keyPrefix}:fail:${scope}`, points, duration: limits.windowSeconds }),
      // how many times in a row this key was blocked: the exponent of the next block
      strikes: redisLimiter(redis, { keyPrefix: `${keyPrefix}:strikes:${scope}`, points: Number.MAX_SAFE_INTEGER, duration: limits.maxBlockSeconds }),
    };
  };
  const account = make('account', limits.maxFailuresPerAccount);
  const ip = make('ip', limits.maxFailuresPerIp);

  const blockSecondsFor = (strike: number) => Math.min(limits.maxBlockSeconds, limits.blockSeconds * 2 ** Math.min(strike - 1, 30));

  /** The attempt that crossed the limit blocks the key, longer for every consecutive block. */
  async function block(l: ScopeLimiter): Promise<number> {
    const previous = await l.strikes.get(l.key);
    const strike = (previous?.consumedPoints ?? 0) + 1;
    const seconds = blockSecondsFor(strike);
    // remembered until maxBlockSeconds after this block ends, so a block soon after doubles it
    await l.strikes.set(l.key, strike, seconds + limits.maxBlockSeconds);
    await l.failures.block(l.key, seconds);
    logger.warn({ scope: l.scope, strike, blockSeconds: seconds }, 'log-in attempts blocked');
    return seconds;
  }

  /** Consumes one attempt: null when admitted, else for how many seconds attempts are refused. */
  async function take(l: ScopeLimiter): Promise<{ refusedFor: number } | null> {
    try {
      await l.failures.consume(l.key);
      return null;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // exactly one attempt crosses the limit (the INCR is atomic): it sets the block
      const crossing = err.consumedPoints === l.failures.points + 1;
      const seconds = crossing ? await block(l) : err.msBeforeNext / 1000;
      return { refusedFor: seconds };
    }
  }

  return {
    limits,
    async admit(keys) {
      const scopes: ScopeLimiter[] = [{ scope: 'account', key: keyDigest(keys.email), ...account }];
      const bucket = ipBucket(keys.ip);
      if (bucket) scopes.push({ scope: 'ip', key: keyDigest(bucket), ...ip });
      const outcomes = await Promise.all(scopes.map(take));
      const refused = outcomes.flatMap((o, i) => (o ? [{ scope: scopes[i]!.scope, seconds: o.refusedFor }] : []));
      if (refused.length) {
        // a refused attempt is not an attempt: give back the points the other scopes took for it
        await Promise.all(scopes.map((l, i) => (outcomes[i] ? undefined : l.failures.reward(l.key).catch(() => undefined))));
        const worst = refused.reduce((a, b) => (b.seconds > a.seconds ? b : a));
        for (const r of refused) opts.onRefused?.(r.scope);
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(worst.seconds)), scope: worst.scope };
      }
      return {
        allowed: true,
        attempt: {
          async succeeded() {
            // the account starts over (counter and escalation); the IP gets its point back
            await Promise.all(
              scopes.map((l) => (l.scope === 'account' ? Promise.all([l.failures.delete(l.key), l.strikes.delete(l.key)]) : l.failures.reward(l.key))),
            ).catch((err) => logger.warn({ err }, 'log-in throttle: could not reset after a successful log-in'));
          },
        },
      };
    },
  };
}
