import { readFileSync } from 'node:fs';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type RunningService } from '@commerce/platform';
import { loadOrdersConfig } from './config.ts';
import type { Context } from './context.ts';
import { ORDER_EVENTS, type OrdersDeps } from './domain/deps.ts';
import { cancelTimedOutOrders } from './domain/timeouts.ts';
import { startOrderProjection } from './events/order-projection.ts';
import { startSaga } from './events/saga.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/order.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface OrdersService extends RunningService {
  deps: OrdersDeps;
}

/** Composition root: config → db → event bus → order stream relay → saga + projection → server. */
export async function startOrders(env: NodeJS.ProcessEnv = process.env): Promise<OrdersService> {
  const config = loadOrdersConfig(env);
  const logger = createLogger('orders', config.logLevel);
  const metrics = createMetrics('orders');
  const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger });
  const models = registerModels(conn);
  await ensureIndexes(conn);
  const db = conn.db!;
  await ensureOutboxIndexes(db, ORDER_EVENTS);
  const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'orders', registry: metrics.registry, consumerDefaults: config.events });
  // the order streams are the outbox, kept forever: they are the event store
  const relay = startOutboxRelay({ db, bus, logger, outbox: ORDER_EVENTS, retentionMs: null });
  await relay.sweep();
  const redis = createRedis(config.redisUrl);
  const deps: OrdersDeps = { db, models, committer: createCommitter(db, relay, { outbox: ORDER_EVENTS }), logger, cartUrl: config.cartUrl, routerSecret: config.routerSecret };
  const saga = await startSaga(deps, bus);
  const projection = await startOrderProjection(deps, bus);
  let sweeping: Promise<unknown> = Promise.resolve();
  const timeouts = setInterval(() => {
    sweeping = cancelTimedOutOrders(deps, config.sagaTimeoutMs).catch((err) => logger.warn({ err }, 'timeout sweep failed'));
  }, config.sweepMs);
  timeouts.unref();

  const server = await startSubgraphServer<Context>({
    name: 'orders',
    typeDefs,
    resolvers,
    permissions,
    host: config.host,
    port: config.port,
    nodeEnv: config.nodeEnv,
    routerSecret: config.routerSecret,
    logger,
    metrics,
    context: (base) => ({ ...base, deps, loaders: createLoaders(deps) }),
    readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
  });

  return {
    name: 'orders',
    url: server.url,
    port: server.port,
    deps,
    async stop() {
      clearInterval(timeouts);
      await server.stop();
      await sweeping;
      for (const c of [...saga, projection]) await c.stop();
      await relay.stop();
      await bus.close();
      redis.disconnect();
      await conn.close();
    },
  };
}

if (isMain(import.meta.url)) runMain(() => startOrders());
