import { StockLevelChanged } from '@commerce/events/contracts';
import { startConsumer, tailEvents, type EventBus, type EventEnvelope, type RunningConsumer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { Db } from 'mongodb';
import type { CatalogIndex } from '../domain/catalog-index.ts';
import type { CatalogModels } from '../model/product.model.ts';

/**
 * Stock knowledge for the `inStock` filter (eventually consistent with inventory):
 * - one serial durable consumer (across instances) persists each variant's availability in
 *   `variant_stock`, in stream order — the single writer, and what a starting instance loads;
 * - every instance tails the same events to update its in-memory index right away.
 */
export async function startStockProjection(opts: { bus: EventBus; db: Db; models: CatalogModels; index: CatalogIndex; logger: Logger }): Promise<{ stop(): Promise<void> }> {
  const { models, index, logger } = opts;
  let buffer: EventEnvelope[] | null = [];
  const applyToIndex = (raw: EventEnvelope) => {
    const e = StockLevelChanged.parse(raw).data;
    index.setAvailable(e.variantId, e.available);
  };
  const tail = await tailEvents({
    bus: opts.bus,
    subject: StockLevelChanged.subject,
    logger,
    handle: (e) => {
      if (buffer) buffer.push(e);
      else applyToIndex(e);
    },
  });
  for await (const s of models.VariantStock.collection.find({})) index.setAvailable(String(s._id), (s as unknown as { available: number }).available);
  const pending = buffer;
  buffer = null;
  for (const e of pending) applyToIndex(e);

  const persist: RunningConsumer = await startConsumer({
    bus: opts.bus,
    db: opts.db,
    logger,
    name: 'catalog-stock',
    contract: StockLevelChanged,
    serial: true,
    handle: async (e) => {
      await models.VariantStock.collection.replaceOne({ _id: e.data.variantId } as never, { available: e.data.available, updatedAt: new Date(e.occurredAt) }, { upsert: true });
    },
  });
  return {
    async stop() {
      await persist.stop();
      await tail.stop();
    },
  };
}
