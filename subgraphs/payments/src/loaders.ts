import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { Db } from 'mongodb';
import { paymentIdFor, PAYMENTS_COLLECTION, type PaymentRecord } from './domain/payment.ts';

/**
 * Per-request DataLoaders. `Order.payment` for N orders, or N `Payment` references (a page of
 * `_entities` from the router), is one batch on `payments` (see LoaderScope.storage).
 */
export interface Loaders {
  /** by order id */
  paymentByOrder: DataLoader<string, PaymentRecord | null>;
}

export function createLoaders(db: Db, scope: LoaderScope): Loaders {
  const payments = db.collection<PaymentRecord>(PAYMENTS_COLLECTION);
  return {
    paymentByOrder: createLoader(scope, 'paymentByOrder', async (orderIds: readonly string[]) => {
      const ids = orderIds.map(paymentIdFor);
      const docs = await scope.storage.findByIds<PaymentRecord>(payments, ids);
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
