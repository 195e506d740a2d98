import DataLoader from 'dataloader';
import type { CustomerModel, CustomerRecord } from './model/customer.model.ts';

/** Per-request DataLoaders: a request that references N customers costs one query. */
export interface Loaders {
  customerById: DataLoader<string, CustomerRecord | null>;
}

export function createLoaders(customers: CustomerModel): Loaders {
  return {
    customerById: new DataLoader<string, CustomerRecord | null>(async (ids) => {
      const docs = await customers.find({ _id: { $in: [...ids] } }).lean<CustomerRecord[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
