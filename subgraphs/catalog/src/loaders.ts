import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { CatalogIndex, CategoryView, IndexedProduct } from './domain/catalog-index.ts';
import type { VariantRecord } from './domain/product.ts';

/**
 * Per-request loaders. Entity references arrive from the router in batches (`_entities`); the
 * loaders resolve a whole batch at once from the in-memory read model, so a listing of N
 * products costs no database query at all, and the batch is one step when a loader later
 * needs the database (e.g. a cold instance).
 */
export interface Loaders {
  product: DataLoader<string, IndexedProduct | null>;
  variant: DataLoader<string, { product: IndexedProduct; variant: VariantRecord } | null>;
  category: DataLoader<string, CategoryView | null>;
}

export function createLoaders(index: CatalogIndex, scope: LoaderScope): Loaders {
  return {
    product: createLoader(scope, 'product', async (ids: readonly string[]) => ids.map((id) => index.getProduct(id) ?? null)),
    variant: createLoader(scope, 'variant', async (ids: readonly string[]) => ids.map((id) => index.getVariant(id) ?? null)),
    category: createLoader(scope, 'category', async (ids: readonly string[]) => ids.map((id) => index.getCategory(id) ?? null)),
  };
}
