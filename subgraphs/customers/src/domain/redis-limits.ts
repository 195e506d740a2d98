import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from '@commerce/platform';

/**
 * What the customers service's Redis counters share (log-in throttle, code requests, one-time
 * codes, the development mailbox).
 */

/** Key names carry a digest, never an email or address itself (no personal data in Redis key names). */
export const keyDigest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 32);

/** A counter shared by every instance through Redis, with an in-memory stand-in per instance while Redis is away. */
export function redisLimiter(redis: Redis, opts: { keyPrefix: string; points: number; duration: number }): RateLimiterRedis {
  return new RateLimiterRedis({ storeClient: redis, ...opts, insuranceLimiter: new RateLimiterMemory(opts) });
}
