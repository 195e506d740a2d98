import DataLoader from 'dataloader';
import type { Storage } from '@commerce/storage';
import type { ServiceMetrics } from './metrics.ts';

/**
 * How a request's DataLoaders are made: batch sizes are observed in the service's
 * `dataloader_batch_size` histogram, and batching can be switched off (DATALOADER_BATCHING=false)
 * so the benchmark can show what it saves — each key is then loaded on its own, N queries for N.
 */
export interface LoaderScope {
  batching: boolean;
  metrics?: ServiceMetrics;
  /**
   * Reads a batch from the service's database in the form that stays index-served on its backend
   * (one `$in` on MongoDB, parallel equality lookups on FerretDB): `scope.storage.findByIds(…)`.
   */
  storage: Storage;
}

export function createLoader<K, V, C = K>(scope: LoaderScope, name: string, batch: DataLoader.BatchLoadFn<K, V>, options: DataLoader.Options<K, V, C> = {}): DataLoader<K, V, C> {
  const histogram = scope.metrics?.dataloaderBatchSize;
  return new DataLoader<K, V, C>(
    (keys) => {
      histogram?.observe({ loader: name }, keys.length);
      return batch(keys);
    },
    { ...options, batch: scope.batching && options.batch !== false, name },
  );
}
