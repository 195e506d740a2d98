import type { Connection } from 'mongoose';

/**
 * Per-request DataLoaders. Analytics resolves no entities (its products are references that
 * catalog resolves), so it has none; its reads go to Redis and the rollups (domain/queries.ts).
 */
export type Loaders = Record<string, never>;

export function createLoaders(_conn: Connection): Loaders {
  return {};
}
