import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface AnalyticsConfig extends ServiceConfig {
  /** every Redis key of this deployment starts with it (tests give each run its own) */
  redisPrefix: string;
  /** how often the flusher copies Redis buckets into the MongoDB rollups */
  flushEveryMs: number;
  /** how long a counted fact's key is kept: a replay within it counts once */
  dedupTtlSeconds: number;
  /** how long minute buckets live in Redis */
  minuteTtlSeconds: number;
  /** how long hour buckets live in Redis */
  hourTtlSeconds: number;
  /** how long minute rollups are kept in MongoDB (hour rollups are kept) */
  minuteRollupDays: number;
}

const analyticsEnv = z.object({
  ANALYTICS_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_:.-]{1,40}$/, 'letters, digits and _ : . - (at most 40)').default('an:'),
  ANALYTICS_FLUSH_EVERY_MS: z.coerce.number().int().min(100).default(5000),
  ANALYTICS_DEDUP_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  ANALYTICS_MINUTE_TTL_HOURS: z.coerce.number().int().min(1).default(48),
  ANALYTICS_HOUR_TTL_DAYS: z.coerce.number().int().min(2).default(90),
  ANALYTICS_MINUTE_ROLLUP_DAYS: z.coerce.number().int().min(2).default(7),
});

/** Parsed once at start. */
export function loadAnalyticsConfig(env: NodeJS.ProcessEnv): AnalyticsConfig {
  const base = loadServiceConfig('analytics', 4009, env);
  const own = parseEnv(analyticsEnv, env);
  return {
    ...base,
    redisPrefix: own.ANALYTICS_REDIS_PREFIX,
    flushEveryMs: own.ANALYTICS_FLUSH_EVERY_MS,
    dedupTtlSeconds: own.ANALYTICS_DEDUP_TTL_SECONDS,
    minuteTtlSeconds: own.ANALYTICS_MINUTE_TTL_HOURS * 3600,
    hourTtlSeconds: own.ANALYTICS_HOUR_TTL_DAYS * 86_400,
    minuteRollupDays: own.ANALYTICS_MINUTE_ROLLUP_DAYS,
  };
}
