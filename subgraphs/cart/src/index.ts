import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type EventBus } from '@commerce/events';
import { StockLevelChanged } from '@commerce/events/contracts';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadCartConfig, type CartConfig } from './config.ts';
import type { Context } from './context.ts';
import type { CartDeps } from './domain/deps.ts';
import { CartReadModel } from './domain/read-model.ts';
import { startCheckoutConsumer } from './events/order-placed.consumer.ts';
import { startReadModelWriters } from './events/read-model.consumers.ts';
import { CATALOG_SUBJECT, STOCK_SUBJECT, stockFactOf, variantFactsOf } from './events/read-model.events.ts';
import { followSubject } from './events/read-model.follower.ts';
import { createLoaders } from './loaders.ts';
import { registerCartModel } from './model/cart.model.ts';
import { registerReadModelStore } from './model/read-model.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { INTERNAL_CART_PATH, internalCartRoute } from './routes/internal-cart.route.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface CartOverrides {
  /** replaces the JSON stdout logger */
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
}

export interface CartService extends RunningService {
  config: CartConfig;
  deps: CartDeps;
  conn: Connection;
  bus: EventBus;
  /** the durable consumers' names (tests delete them afterwards) */
  durables: string[];
}

/**
 * Composition root: config → db → event bus → outbox relay → read model (durable writers, stored
 * copy loaded into memory, followers from the writers' ack floors) → checkout consumer → server.
 * Whatever was started is stopped again if a later step fails.
 */
export async function startCart(env: NodeJS.ProcessEnv = process.env, overrides: CartOverrides = {}): Promise<CartService> {
  const config = loadCartConfig(env);
  const logger = overrides.logger ?? createLogger('cart', config.logLevel);
  const undo: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch((err) => logger.warn({ err }, 'error while stopping'));
  };
  try {
    const metrics = createMetrics('cart');
    const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger, monitorCommands: overrides.monitorCommands ?? false });
    undo.push(() => conn.close());
    const carts = registerCartModel(conn);
    const store = registerReadModelStore(conn);
    await ensureIndexes(conn);
    // mongoose bundles its own copy of the driver; the Db it hands out is the same API
    const db = conn.db as unknown as Db;
    await ensureOutboxIndexes(db);

    const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'cart', registry: metrics.registry, consumerDefaults: config.events });
    undo.push(() => bus.close());
    const relay = startOutboxRelay({ db, bus, logger });
    undo.push(() => relay.stop());
    await relay.sweep();
    const redis = createRedis(config.redisUrl);
    undo.push(async () => redis.disconnect());

    // Read model: writers first (they store; their ack floor says what is stored), then load the
    // stored copy into memory, then follow everything above the floors in memory.
    const readModel = new CartReadModel();
    const writers = await startReadModelWriters({ bus, db, logger, store });
    undo.push(() => writers.stop());
    const floors = await writers.storedUpTo();
    const started = Date.now();
    const loaded = await store.loadInto(readModel);
    const catalogFollower = await followSubject({
      bus, logger, subject: CATALOG_SUBJECT, fromSeq: floors.catalog + 1,
      apply: (event) => { for (const facts of variantFactsOf(event)) readModel.applyVariant(facts); },
    });
    undo.push(() => catalogFollower.stop());
    const stockFollower = await followSubject({
      bus, logger, subject: STOCK_SUBJECT, fromSeq: floors.stock + 1,
      apply: (event) => {
        const { variantId, locationId, fact } = stockFactOf(StockLevelChanged.parse(event));
        readModel.applyStock(variantId, locationId, fact);
      },
    });
    undo.push(() => stockFollower.stop());
    logger.info({ ...loaded, floors, ms: Date.now() - started }, 'cart read model loaded');

    const deps: CartDeps = { carts, committer: createCommitter(db, relay), readModel, currency: config.currency, logger };
    const checkout = await startCheckoutConsumer({ bus, db, logger, deps });
    undo.push(() => checkout.stop());

    const server = await startSubgraphServer<Context>({
      name: 'cart',
      typeDefs,
      resolvers,
      permissions,
      host: config.host,
      port: config.port,
      nodeEnv: config.nodeEnv,
      routerSecret: config.routerSecret,
      logger,
      metrics,
      context: (base) => ({ ...base, loaders: createLoaders(carts), deps }),
      readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
      internalRoutes: { [INTERNAL_CART_PATH]: internalCartRoute(deps) },
    });
    undo.push(() => server.stop());

    return {
      name: 'cart',
      url: server.url,
      port: server.port,
      config,
      deps,
      conn,
      bus,
      durables: [writers.catalog.durable, writers.stock.durable, checkout.durable],
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startCart());
