import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { CustomerModel, CustomerRecord } from './model/customer.model.ts';

/** Per-request DataLoaders: a request that references N customers costs one query. */
export interface Loaders {
  customerById: DataLoader<string, CustomerRecord | null>;
}

export function createLoaders(customers: CustomerModel, scope: LoaderScope): Loaders {
  return {
    customerById: createLoader<string, CustomerRecord | null>(scope, 'customerById', async (ids) => {
      const docs = await customers.find({ _id: { $in: [...ids] } }).lean<CustomerRecord[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
