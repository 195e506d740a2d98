import type { Connection } from 'mongoose';

/** Per-request DataLoaders: one query per entity type per request. */
export type Loaders = Record<string, never>;

export function createLoaders(_conn: Connection): Loaders {
  return {};
}
