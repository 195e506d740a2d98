import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { Collection } from 'mongodb';
import type { CartRecord } from './domain/cart.ts';

/**
 * Per-request loaders: N carts in one request (`cart` fields, `_entities`) are one batch on
 * `carts` (one query on MongoDB; N index-served lookups on FerretDB). Prices and availability come
 * from the in-memory read model: no query at all.
 */
export interface Loaders {
  cart: DataLoader<string, CartRecord | null>;
}

export function createLoaders(carts: Collection<CartRecord>, scope: LoaderScope): Loaders {
  return {
    cart: createLoader<string, CartRecord | null>(scope, 'cart', async (ids) => {
      const docs = await scope.storage.findByIds<CartRecord>(carts, ids);
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
