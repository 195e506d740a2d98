import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface RecommendationsConfig extends ServiceConfig {
  /** how often this instance writes its model snapshot (also on stop, and soon after a forget) */
  snapshotEveryMs: number;
  /** largest piece of a snapshot stored in one document (the document limit is 16 MB) */
  snapshotChunkBytes: number;
  /**
   * Where an instance with no snapshot starts reading the stream: `all` replays everything the
   * stream retains (7 days), `new` starts at its end. Defaults to EVENTS_NEW_CONSUMERS_FROM
   * (`all`; tests set `new`), the same rule as a durable consumer created for the first time.
   */
  coldStartFrom: 'all' | 'new';
}

const recommendationsEnv = z.object({
  RECOMMENDATIONS_SNAPSHOT_EVERY_MS: z.coerce.number().int().min(100).default(60_000),
  RECOMMENDATIONS_SNAPSHOT_CHUNK_BYTES: z.coerce.number().int().min(1024).max(12 * 1024 * 1024).default(4 * 1024 * 1024),
  RECOMMENDATIONS_COLD_START_FROM: z.enum(['all', 'new']).optional(),
});

/** Parsed once at start. */
export function loadRecommendationsConfig(env: NodeJS.ProcessEnv): RecommendationsConfig {
  const base = loadServiceConfig('recommendations', 4010, env);
  const own = parseEnv(recommendationsEnv, env);
  return {
    ...base,
    snapshotEveryMs: own.RECOMMENDATIONS_SNAPSHOT_EVERY_MS,
    snapshotChunkBytes: own.RECOMMENDATIONS_SNAPSHOT_CHUNK_BYTES,
    coldStartFrom: own.RECOMMENDATIONS_COLD_START_FROM ?? base.events.newConsumersFrom,
  };
}
