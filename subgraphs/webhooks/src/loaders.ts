import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { Db } from 'mongodb';
import type { AttemptRecord } from './domain/delivery.ts';
import { ATTEMPTS_COLLECTION } from './model/store.ts';

/**
 * Per-request DataLoaders: the attempts of a page of deliveries are one batch of equality reads
 * on `deliveryId` (see LoaderScope.storage).
 */
export interface Loaders {
  attempts: DataLoader<string, AttemptRecord[]>;
}

export function createLoaders(db: Db, scope: LoaderScope): Loaders {
  const attempts = db.collection<AttemptRecord>(ATTEMPTS_COLLECTION);
  return {
    attempts: createLoader(scope, 'webhookAttempts', async (ids: readonly string[]) => {
      const rows = await scope.storage.findByValues<AttemptRecord>(attempts, 'deliveryId', ids);
      return ids.map((id) => rows.filter((a) => a.deliveryId === id).sort((a, b) => a.at.getTime() - b.at.getTime()));
    }),
  };
}
