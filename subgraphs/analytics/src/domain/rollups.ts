import type { Granularity } from './buckets.ts';
import type { Counts, TopKind, UniqueKind, Uniques } from './counts.ts';

/**
 * The durable copy of a time bucket (`analytics_minutes`, `analytics_hours`), written by the
 * flusher with a replace by `_id` (the bucket number): idempotent, one writer at a time.
 * `day` (the UTC day the bucket starts in) is what reads and pruning filter on, by equality.
 */
export const MINUTES_COLLECTION = 'analytics_minutes';
export const HOURS_COLLECTION = 'analytics_hours';
export const rollupCollection = (g: Granularity): string => (g === 'MINUTE' ? MINUTES_COLLECTION : HOURS_COLLECTION);

/** how many products of each hour's sorted sets a rollup keeps */
export const ROLLUP_TOP = 100;

export interface TopEntry {
  id: string;
  n: number;
}

export interface Rollup {
  _id: number;
  day: number;
  counts: Counts;
  /** PFCOUNT of each HyperLogLog when flushed */
  uniques: Uniques;
  /** the HyperLogLogs themselves (Redis' own encoding, base64): restored byte for byte */
  hll: Partial<Record<UniqueKind, string>>;
  /** hours only: the ROLLUP_TOP products of each sorted set */
  top?: Partial<Record<TopKind, TopEntry[]>>;
  updatedAt: Date;
}
