import { z } from 'zod';
import { ConfigError, loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';
import type { DisablePolicy, RetryPolicy } from './domain/retry.ts';

export interface WebhooksConfig extends ServiceConfig {
  /** private, loopback … targets allowed: never in production */
  allowPrivateTargets: boolean;
  lowStockThreshold: number;
  deliveryTimeoutMs: number;
  concurrency: number;
  retry: RetryPolicy;
  disable: DisablePolicy;
  retentionDays: number;
  maxSubscriptionsPerPartner: number;
  secretOverlapMs: number;
  redisPrefix: string;
  sweepEveryMs: number;
}

const int = (min: number) => z.coerce.number().int().min(min);
const webhooksEnv = z.object({
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false']).optional(),
  WEBHOOKS_LOW_STOCK_THRESHOLD: int(1).default(5),
  WEBHOOKS_DELIVERY_TIMEOUT_MS: int(100).max(60_000).default(10_000),
  WEBHOOKS_DELIVERY_CONCURRENCY: int(1).max(1000).default(16),
  WEBHOOKS_RETRY_BASE_MS: int(10).default(5_000),
  WEBHOOKS_RETRY_MAX_DELAY_MS: int(10).default(3_600_000),
  WEBHOOKS_RETRY_WINDOW_MS: int(1000).max(6 * 24 * 3_600_000).default(24 * 3_600_000),
  WEBHOOKS_DISABLE_AFTER_FAILURES: int(1).default(10),
  WEBHOOKS_DISABLE_AFTER_MS: int(0).default(24 * 3_600_000),
  WEBHOOKS_LOG_RETENTION_DAYS: int(1).max(365).default(30),
  WEBHOOKS_MAX_SUBSCRIPTIONS_PER_PARTNER: int(1).default(20),
  WEBHOOKS_SECRET_OVERLAP_MS: int(0).default(24 * 3_600_000),
  WEBHOOKS_REDIS_PREFIX: z.string().min(1).max(40).default('wh:'),
  WEBHOOKS_SWEEP_EVERY_MS: int(1000).default(3_600_000),
});

/** Parsed once at start. */
export function loadWebhooksConfig(env: NodeJS.ProcessEnv): WebhooksConfig {
  const base = loadServiceConfig('webhooks', 4011, env);
  const own = parseEnv(webhooksEnv, env);
  const production = base.nodeEnv === 'production';
  if (production && own.WEBHOOKS_ALLOW_PRIVATE_TARGETS === 'true') {
    throw new ConfigError('invalid configuration:\n  WEBHOOKS_ALLOW_PRIVATE_TARGETS: private targets are never allowed in production (SSRF rule)');
  }
  return {
    ...base,
    allowPrivateTargets: !production && own.WEBHOOKS_ALLOW_PRIVATE_TARGETS !== 'false',
    lowStockThreshold: own.WEBHOOKS_LOW_STOCK_THRESHOLD,
    deliveryTimeoutMs: own.WEBHOOKS_DELIVERY_TIMEOUT_MS,
    concurrency: own.WEBHOOKS_DELIVERY_CONCURRENCY,
    retry: { baseMs: own.WEBHOOKS_RETRY_BASE_MS, maxDelayMs: own.WEBHOOKS_RETRY_MAX_DELAY_MS, windowMs: own.WEBHOOKS_RETRY_WINDOW_MS },
    disable: { minFailures: own.WEBHOOKS_DISABLE_AFTER_FAILURES, afterMs: own.WEBHOOKS_DISABLE_AFTER_MS },
    retentionDays: own.WEBHOOKS_LOG_RETENTION_DAYS,
    maxSubscriptionsPerPartner: own.WEBHOOKS_MAX_SUBSCRIPTIONS_PER_PARTNER,
    secretOverlapMs: own.WEBHOOKS_SECRET_OVERLAP_MS,
    redisPrefix: own.WEBHOOKS_REDIS_PREFIX,
    sweepEveryMs: own.WEBHOOKS_SWEEP_EVERY_MS,
  };
}
