import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import { StockLevelChanged } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { ReadModelStore } from '../model/read-model.model.ts';
import { CatalogEvents, stockFactOf, variantFactsOf } from './read-model.events.ts';

export interface ReadModelWriters {
  catalog: RunningConsumer;
  stock: RunningConsumer;
  /** stream sequences up to which each writer has stored every event (its ack floor) */
  storedUpTo(): Promise<{ catalog: number; stock: number }>;
  stop(): Promise<void>;
}

/**
 * The durable consumers that keep the stored read model: `cart-catalog` (every catalog event,
 * so product-created and variant-price-changed of one variant are applied by one writer in stream
 * order) and `cart-stock`. Both are serial across instances: each is the single writer of its
 * collection, which keeps read-then-write correct on FerretDB.
 */
export async function startReadModelWriters(opts: {
  bus: EventBus;
  db: Db;
  logger: Logger;
  store: ReadModelStore;
}): Promise<ReadModelWriters> {
  const { bus, db, logger, store } = opts;
  const catalog = await startConsumer({
    bus, db, logger, name: 'cart-catalog', contract: CatalogEvents, serial: true,
    handle: async (event) => {
      for (const facts of variantFactsOf(event)) await store.saveVariant(facts);
    },
  });
  let stock: RunningConsumer;
  try {
    stock = await startConsumer({
      bus, db, logger, name: 'cart-stock', contract: StockLevelChanged, serial: true,
      handle: async (event) => {
        const { variantId, locationId, fact } = stockFactOf(event);
        await store.saveStock(variantId, locationId, fact);
      },
    });
  } catch (err) {
    await catalog.stop();
    throw err;
  }
  // Everything at or below this stream sequence is stored. A consumer that has delivered nothing yet
  // reports an ack floor of 0 (nats-server 2.9) but its start in `delivered` (start − 1). A floor
  // that is too low only makes the followers replay more (applies are idempotent), never less.
  const ackFloor = async (durable: string) => {
    const info = await bus.jsm.consumers.info(bus.stream, durable);
    return info.delivered.consumer_seq === 0 ? info.delivered.stream_seq : info.ack_floor.stream_seq;
  };
  return {
    catalog,
    stock,
    async storedUpTo() {
      return { catalog: await ackFloor(catalog.durable), stock: await ackFloor(stock.durable) };
    },
    async stop() {
      await catalog.stop();
      await stock.stop();
    },
  };
}
