import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { OrdersDeps } from './domain/deps.ts';
import { latestState } from './domain/order-stream.ts';
import { viewOf, type OrderView } from './model/order.model.ts';

export interface Loaders {
  /** order views by id: one batch per request; an order not yet projected is read from its stream */
  order: DataLoader<string, OrderView | null>;
}

export function createLoaders(deps: OrdersDeps, scope: LoaderScope): Loaders {
  return {
    order: createLoader(scope, 'order', async (ids: readonly string[]) => {
      const rows = await scope.storage.findByIds<OrderView>(deps.models.OrderView.collection, ids);
      const byId = new Map(rows.map((r) => [r._id, r]));
      return Promise.all(
        ids.map(async (id) => {
          const view = byId.get(id);
          if (view) return view;
          const state = await latestState(deps, id); // just placed: the projection has not caught up yet
          return state ? viewOf(state) : null;
        }),
      );
    }),
  };
}
