import type { Connection } from 'mongoose';

/**
 * Per-request DataLoaders: one batch per entity type per request (`createLoader` from
 * @commerce/platform). Read a batch with `scope.storage.findByIds(collection, ids)` — one `$in`
 * on MongoDB, index-served `{_id}` lookups on FerretDB, whose `$in` reads the whole collection —
 * and a hot read the storefront makes on every page from an event-fed read model instead.
 */
export type Loaders = Record<string, never>;

export function createLoaders(_conn: Connection): Loaders {
  return {};
}
