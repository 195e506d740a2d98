import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { InventoryStore } from './domain/deps.ts';
import { availableOf } from './domain/stock-level.ts';

export interface VariantAvailability {
  inStock: boolean;
  quantityAvailable: number;
}

/** Per-request loaders: one query per entity type per request. */
export interface Loaders {
  /** a variant's availability over all locations; one `find` on stock_levels per batch */
  availability: DataLoader<string, VariantAvailability>;
}

export function createLoaders(store: InventoryStore, scope: LoaderScope): Loaders {
  return {
    availability: createLoader(scope, 'availability', async (variantIds: readonly string[]) => {
      const levels = await store.levelsOfVariants(variantIds);
      const total = new Map<string, number>();
      for (const l of levels) total.set(l.variantId, (total.get(l.variantId) ?? 0) + availableOf(l));
      return variantIds.map((id) => {
        const quantityAvailable = total.get(id) ?? 0;
        return { inStock: quantityAvailable > 0, quantityAvailable };
      });
    }),
  };
}
