import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface InventoryConfig extends ServiceConfig {
  /** how long a HELD reservation lives before the sweep releases it (ms) */
  reservationTtlMs: number;
  /** how often the expiry sweep runs (ms) */
  sweepMs: number;
  /** pull loops per consumed contract in this instance (reservations of different orders run in parallel) */
  consumerWorkers: number;
  /** deliveries before a failing event is parked as a dead letter */
  consumerMaxDeliver: number;
  /** nak delays by attempt (ms); the last one repeats */
  consumerBackoffMs: number[];
}

const backoffList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds such as 200,1000,5000')
  .transform((s) => s.split(',').map(Number));

const inventoryEnv = z.object({
  RESERVATION_TTL_MS: z.coerce.number().int().min(50).max(7 * 24 * 3600_000).default(15 * 60_000),
  RESERVATION_SWEEP_MS: z.coerce.number().int().min(20).max(3600_000).default(5_000),
  INVENTORY_CONSUMER_WORKERS: z.coerce.number().int().min(1).max(32).default(4),
  // 8 deliveries with the default backoff span ~66 s: longer than a dead worker's 30 s lease
  INVENTORY_CONSUMER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(8),
  INVENTORY_CONSUMER_BACKOFF_MS: backoffList.default([200, 1000, 5000, 15000]),
});

/** Parsed once at start. */
export function loadInventoryConfig(env: NodeJS.ProcessEnv): InventoryConfig {
  const base = loadServiceConfig('inventory', 4004, env);
  const own = parseEnv(inventoryEnv, env);
  return {
    ...base,
    reservationTtlMs: own.RESERVATION_TTL_MS,
    sweepMs: own.RESERVATION_SWEEP_MS,
    consumerWorkers: own.INVENTORY_CONSUMER_WORKERS,
    consumerMaxDeliver: own.INVENTORY_CONSUMER_MAX_DELIVER,
    consumerBackoffMs: own.INVENTORY_CONSUMER_BACKOFF_MS,
  };
}
