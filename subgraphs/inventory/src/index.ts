import type { EventBus } from '@commerce/events';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type RunningService } from '@commerce/platform';
import type { Connection } from 'mongoose';
import { loadInventoryConfig } from './config.ts';
import type { Context } from './context.ts';
import { AvailabilityView } from './domain/availability.ts';
import { DEFAULT_LEASE_MS, type InventoryDeps } from './domain/deps.ts';
import { startAvailabilityProjection, STOCK_LEVELS } from './events/availability-projection.ts';
import type { StockLevelRecord } from './domain/stock-level.ts';
import { startReservationSweep, type RunningSweep } from './events/reservation-sweep.ts';
import { startSagaConsumers } from './events/saga.consumers.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/inventory.model.ts';
import { createStore } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

/** Programmatic options for tests (never from the environment). */
export interface InventoryHooks {
  /** emit driver command events on the connection (tests count queries with CommandCounter) */
  monitorCommands?: boolean;
}

export interface InventoryService extends RunningService {
  deps: InventoryDeps;
  conn: Connection;
  bus: EventBus;
  sweep: RunningSweep;
  /** every variant's availability, in memory (what the storefront reads) */
  availability: AvailabilityView;
}

/** Composition root: config → db → event bus → outbox relay → saga consumers → sweep → server. */
export async function startInventory(env: NodeJS.ProcessEnv = process.env, hooks: InventoryHooks = {}): Promise<InventoryService> {
  const config = loadInventoryConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels, monitorCommands: hooks.monitorCommands ?? false });
  try {
    const deps: InventoryDeps = {
      committer: rt.committer,
      store: createStore(rt.models, rt.db, rt.storage),
      logger: rt.logger,
      clock: () => new Date(),
      reservationTtlMs: config.reservationTtlMs,
      leaseMs: DEFAULT_LEASE_MS,
    };
    const availability = new AvailabilityView();
    const projection = await startAvailabilityProjection({ bus: rt.bus, committer: rt.committer, levels: rt.db.collection<StockLevelRecord>(STOCK_LEVELS), view: availability, logger: rt.logger });
    rt.onStop(() => projection.stop());
    const consumers = await startSagaConsumers({
      deps,
      bus: rt.bus,
      db: rt.db,
      workers: config.consumerWorkers,
      maxDeliver: config.consumerMaxDeliver,
      backoffMs: config.consumerBackoffMs,
    });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const sweep = startReservationSweep(deps, config.sweepMs);
    rt.onStop(() => sweep.stop());
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(availability, base.loaderScope), deps }),
    });
    rt.onStop(() => server.stop());
    return { name: 'inventory', url: server.url, port: server.port, deps, conn: rt.conn, bus: rt.bus, sweep, availability, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startInventory());
