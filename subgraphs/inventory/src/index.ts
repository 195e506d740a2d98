import { readFileSync } from 'node:fs';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type EventBus } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type RunningService } from '@commerce/platform';
import type { Connection } from 'mongoose';
import { loadInventoryConfig } from './config.ts';
import type { Context } from './context.ts';
import { DEFAULT_LEASE_MS, type InventoryDeps } from './domain/deps.ts';
import { startReservationSweep, type RunningSweep } from './events/reservation-sweep.ts';
import { startSagaConsumers } from './events/saga.consumers.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/inventory.model.ts';
import { createStore } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

/** Programmatic options for tests (never from the environment). */
export interface InventoryHooks {
  /** emit driver command events on the connection (tests count queries with CommandCounter) */
  monitorCommands?: boolean;
  /** only these orders' saga events are handled: keeps a test's instance off other tests' orders on the shared stream */
  acceptOrder?: (orderId: string) => boolean;
}

export interface InventoryService extends RunningService {
  deps: InventoryDeps;
  conn: Connection;
  bus: EventBus;
  sweep: RunningSweep;
}

/** Composition root: config → db → event bus → outbox relay → saga consumers → sweep → server. */
export async function startInventory(env: NodeJS.ProcessEnv = process.env, hooks: InventoryHooks = {}): Promise<InventoryService> {
  const config = loadInventoryConfig(env);
  const logger = createLogger('inventory', config.logLevel);
  const metrics = createMetrics('inventory');
  const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger, monitorCommands: hooks.monitorCommands ?? false });
  const models = registerModels(conn);
  await ensureIndexes(conn);
  await ensureOutboxIndexes(conn.db!);
  const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'inventory', registry: metrics.registry, consumerDefaults: config.events });
  const relay = startOutboxRelay({ db: conn.db!, bus, logger });
  const redis = createRedis(config.redisUrl);
  await relay.sweep(); // publish what a previous run stored but did not get out

  const deps: InventoryDeps = {
    committer: createCommitter(conn.db!, relay),
    store: createStore(models, conn.db!),
    logger,
    clock: () => new Date(),
    reservationTtlMs: config.reservationTtlMs,
    leaseMs: DEFAULT_LEASE_MS,
  };
  const consumers = await startSagaConsumers({
    deps,
    bus,
    db: conn.db!,
    workers: config.consumerWorkers,
    maxDeliver: config.consumerMaxDeliver,
    backoffMs: config.consumerBackoffMs,
    ...(hooks.acceptOrder ? { acceptOrder: hooks.acceptOrder } : {}),
  });
  const sweep = startReservationSweep(deps, config.sweepMs);

  const server = await startSubgraphServer<Context>({
    name: 'inventory',
    typeDefs,
    resolvers,
    permissions,
    host: config.host,
    port: config.port,
    nodeEnv: config.nodeEnv,
    routerSecret: config.routerSecret,
    logger,
    metrics,
    context: (base) => ({ ...base, loaders: createLoaders(deps.store), deps }),
    readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
  });

  return {
    name: 'inventory',
    url: server.url,
    port: server.port,
    deps,
    conn,
    bus,
    sweep,
    async stop() {
      await server.stop();
      await sweep.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await relay.stop();
      await bus.close();
      redis.disconnect();
      await conn.close();
    },
  };
}

if (isMain(import.meta.url)) runMain(() => startInventory());
