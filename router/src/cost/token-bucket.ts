import type { Redis } from '@commerce/platform';

/**
 * A token bucket per client in Redis, shared by every router instance: it holds at most `maximum`
 * points and refills at `restoreRate` points per second; a request takes its cost out of it.
 * One Lua script reads, refills and takes atomically, with Redis's own clock, so instances with
 * skewed clocks agree. (rate-limiter-flexible counts fixed windows; Shopify's leaky-bucket
 * semantics — refill over time, variable cost, refunds — need this bucket.)
 *
 * A negative cost is a refund: it always succeeds and never overfills the bucket.
 */
const TAKE = `
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1]) or max
local at = tonumber(state[2]) or now
if now > at then tokens = math.min(max, tokens + (now - at) * rate / 1000) end
local allowed = 0
if cost <= tokens or cost <= 0 then
  tokens = math.min(max, tokens - cost)
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(max / rate * 1000) + 1000)
local wait = 0
if allowed == 0 then wait = math.ceil((cost - tokens) * 1000 / rate) end
return { allowed, tostring(tokens), wait }
`;

export interface BucketLimits {
  /** most points the bucket holds (also the most one request may cost) */
  maximum: number;
  /** points restored per second */
  restoreRate: number;
}

export interface TakeResult {
  allowed: boolean;
  /** points left after this request (before it, when refused) */
  available: number;
  /** when refused: milliseconds until the bucket holds the cost */
  retryAfterMs: number;
}

export interface TokenBuckets {
  take(key: string, cost: number, limits: BucketLimits): Promise<TakeResult>;
  /** gives back points (requested cost − actual cost); never above the maximum */
  refund(key: string, points: number, limits: BucketLimits): Promise<void>;
}

type WithTake = Redis & { edgeTakeTokens(key: string, max: number, rate: number, cost: number): Promise<[number, string, number]> };

export function createTokenBuckets(redis: Redis, prefix = 'edge:rl:'): TokenBuckets {
  const client = redis as WithTake;
  // defineCommand sends the script by its sha (EVALSHA) after the first call
  if (!('edgeTakeTokens' in client)) redis.defineCommand('edgeTakeTokens', { numberOfKeys: 1, lua: TAKE });
  const run = async (key: string, cost: number, limits: BucketLimits): Promise<TakeResult> => {
    const [allowed, available, wait] = await client.edgeTakeTokens(prefix + key, limits.maximum, limits.restoreRate, cost);
    return { allowed: allowed === 1, available: Number(available), retryAfterMs: Number(wait) };
  };
  return {
    take: run,
    async refund(key, points, limits) {
      if (points > 0) await run(key, -points, limits);
    },
  };
}
