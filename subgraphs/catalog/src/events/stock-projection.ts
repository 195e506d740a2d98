import { StockLevelChanged } from '@commerce/events/contracts';
import { startConsumer, startReadModel, type EventBus, type EventEnvelope, type RunningConsumer } from '@commerce/events';
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
export async function startStockProjection(opts: {
  bus: EventBus;
  db: Db;
  models: CatalogModels;
  index: CatalogIndex;
  logger: Logger;
  /** called when a variant went in or out of stock (the response cache's invalidation) */
  onChange?: () => void;
}): Promise<{ stop(): Promise<void> }> {
  const { models, index, logger } = opts;
  const seen = new Map<string, number>(); // newest version applied per stock level
  const applyToIndex = (raw: EventEnvelope) => {
    const e = StockLevelChanged.parse(raw).data;
    const key = `${e.variantId}@${e.locationId}`;
    if ((seen.get(key) ?? 0) >= e.version) return;
    seen.set(key, e.version);
    if (index.setAvailable(e.variantId, e.available)) opts.onChange?.();
  };
  const tail = await startReadModel({
    bus: opts.bus,
    subject: StockLevelChanged.subject,
    logger,
    load: async () => {
      for await (const doc of models.VariantStock.collection.find({})) {
        const s = doc as unknown as { _id: string; available: number; versions?: Record<string, number> };
        for (const [key, version] of Object.entries(s.versions ?? {})) if ((seen.get(key) ?? 0) < version) seen.set(key, version);
        index.setAvailable(String(s._id), s.available);
      }
    },
    apply: applyToIndex,
  });

  const persist: RunningConsumer = await startConsumer({
    bus: opts.bus,
    db: opts.db,
    logger,
    name: 'catalog-stock',
    contract: StockLevelChanged,
    serial: true,
    handle: async (e) => {
      // concurrent stock commits may publish out of version order: keep the newest version
      const key = `${e.data.variantId}@${e.data.locationId}`;
      const current = (await models.VariantStock.collection.findOne({ _id: e.data.variantId } as never)) as unknown as { versions?: Record<string, number> } | null;
      if ((current?.versions?.[key] ?? 0) >= e.data.version) return;
      await models.VariantStock.collection.replaceOne(
        { _id: e.data.variantId } as never,
        { available: e.data.available, versions: { ...current?.versions, [key]: e.data.version }, updatedAt: new Date(e.occurredAt) },
        { upsert: true },
      );
    },
  });
  return {
    async stop() {
      await persist.stop();
      await tail.stop();
    },
  };
}
