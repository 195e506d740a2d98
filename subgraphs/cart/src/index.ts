import type { Connection } from 'mongoose';
import type { EventBus } from '@commerce/events';
import { StockLevelChanged } from '@commerce/events/contracts';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
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

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

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
  const rt = await startServiceRuntime(config, {
    models: (conn) => ({ carts: registerCartModel(conn), store: registerReadModelStore(conn) }),
    ...(overrides.logger ? { logger: overrides.logger } : {}),
    monitorCommands: overrides.monitorCommands ?? false,
  });
  try {
    const { bus, db, logger } = rt;
    const { carts, store } = rt.models;
    // Read model: writers first (they store; their ack floor says what is stored), then load the
    // stored copy into memory, then follow everything above the floors in memory.
    const readModel = new CartReadModel();
    const writers = await startReadModelWriters({ bus, db, logger, store });
    rt.onStop(() => writers.stop());
    const floors = await writers.storedUpTo();
    const started = Date.now();
    const loaded = await store.loadInto(readModel);
    const catalogFollower = await followSubject({
      bus, logger, subject: CATALOG_SUBJECT, fromSeq: floors.catalog + 1,
      apply: (event) => { for (const facts of variantFactsOf(event)) readModel.applyVariant(facts); },
    });
    rt.onStop(() => catalogFollower.stop());
    const stockFollower = await followSubject({
      bus, logger, subject: STOCK_SUBJECT, fromSeq: floors.stock + 1,
      apply: (event) => {
        const { variantId, locationId, fact } = stockFactOf(StockLevelChanged.parse(event));
        readModel.applyStock(variantId, locationId, fact);
      },
    });
    rt.onStop(() => stockFollower.stop());
    logger.info({ ...loaded, floors, ms: Date.now() - started }, 'cart read model loaded');

    const deps: CartDeps = { carts, committer: rt.committer, readModel, currency: config.currency, logger };
    const checkout = await startCheckoutConsumer({ bus, db, logger, deps });
    rt.onStop(() => checkout.stop());

    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(carts, base.loaderScope), deps }),
      internalRoutes: { [INTERNAL_CART_PATH]: internalCartRoute(deps) },
    });
    rt.onStop(() => server.stop());
    return {
      name: 'cart',
      url: server.url,
      port: server.port,
      config,
      deps,
      conn: rt.conn,
      bus,
      durables: [writers.catalog.durable, writers.stock.durable, checkout.durable],
      stop: rt.stop,
    };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startCart());
