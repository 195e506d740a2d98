import { RateLimiterRes, type RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from '@commerce/platform';
import { ipBucket } from './login-throttle.ts';
import { keyDigest, redisLimiter } from './redis-limits.ts';

/**
 * How many codes may be mailed: per account (the normalized email, whether or not an account has
 * it, so a refusal tells nothing about which emails exist) and per client IP (IPv6 by /64), in a
 * fixed window, shared by every instance through Redis (an in-memory fallback per instance while
 * Redis is down). Password-reset and verification requests count together: both send mail.
 */
export interface CodeRequestLimits {
  maxPerAccount: number;
  maxPerIp: number;
  windowSeconds: number;
}

export const DEFAULT_CODE_REQUEST_LIMITS: CodeRequestLimits = { maxPerAccount: 5, maxPerIp: 50, windowSeconds: 3600 };

export type CodeRequestAdmission = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: 'account' | 'ip' };

export interface CodeRequestLimiter {
  admit(keys: { email: string; ip?: string | undefined }): Promise<CodeRequestAdmission>;
}

export function createCodeRequestLimiter(opts: { redis: Redis; keyPrefix: string; limits: CodeRequestLimits }): CodeRequestLimiter {
  const make = (scope: 'account' | 'ip', points: number) => redisLimiter(opts.redis, { keyPrefix: `${opts.keyPrefix}:${scope}`, points, duration: opts.limits.windowSeconds });
  const account = make('account', opts.limits.maxPerAccount);
  const ip = make('ip', opts.limits.maxPerIp);

  const take = async (limiter: RateLimiterRedis, key: string): Promise<number | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    }
  };

  return {
    async admit(keys) {
      const bucket = ipBucket(keys.ip);
      const [byAccount, byIp] = await Promise.all([take(account, keyDigest(keys.email)), bucket ? take(ip, keyDigest(bucket)) : null]);
      if (byAccount !== null) return { allowed: false, retryAfterSeconds: byAccount, scope: 'account' };
      if (byIp !== null) return { allowed: false, retryAfterSeconds: byIp, scope: 'ip' };
      return { allowed: true };
    },
  };
}
