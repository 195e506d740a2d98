import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { CustomerModel, CustomerRecord } from './model/customer.model.ts';

/** Per-request DataLoaders: a request that references N customers costs one batch (see LoaderScope.storage). */
export interface Loaders {
  customerById: DataLoader<string, CustomerRecord | null>;
}

export function createLoaders(customers: CustomerModel, scope: LoaderScope): Loaders {
  return {
    customerById: createLoader<string, CustomerRecord | null>(scope, 'customerById', async (ids) => {
      // the raw collection: leave out what the schema keeps unselected (the password hash)
      const docs = await scope.storage.findByIds<CustomerRecord>(customers.collection, ids, { projection: { passwordHash: 0 } });
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
