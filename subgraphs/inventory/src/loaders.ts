import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { AvailabilityView, VariantAvailability } from './domain/availability.ts';

export type { VariantAvailability };

/** Per-request loaders. */
export interface Loaders {
  /** a variant's availability over all locations, from the in-memory read model: no query at all */
  availability: DataLoader<string, VariantAvailability>;
}

export function createLoaders(view: AvailabilityView, scope: LoaderScope): Loaders {
  return {
    availability: createLoader(scope, 'availability', async (variantIds: readonly string[]) => variantIds.map((id) => view.of(id))),
  };
}
