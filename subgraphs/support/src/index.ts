import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import type { EventBus, RunningConsumer } from '@commerce/events';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadSupportConfig, type SupportConfig } from './config.ts';
import type { Context } from './context.ts';
import type { SupportDeps } from './domain/deps.ts';
import { startSweep, sweepTickets } from './domain/sweep.ts';
import { startSupportConsumers } from './events/support-consumers.ts';
import { createLoaders } from './loaders.ts';
import { createSupportMetrics } from './metrics.ts';
import { registerModels } from './model/support.model.ts';
import { createSupportStore } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface SupportOverrides {
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
}

export interface SupportService extends RunningService {
  config: SupportConfig;
  conn: Connection;
  db: Db;
  bus: EventBus;
  deps: SupportDeps;
  consumers: RunningConsumer[];
  /** runs the SLA / auto-close sweep once (it also runs every SUPPORT_SWEEP_EVERY_MS) */
  sweep(now?: Date): Promise<{ breached: number; closed: number }>;
}

/** Composition root: config → runtime (db, events, outbox relay) → consumers → sweep → server. */
export async function startSupport(env: NodeJS.ProcessEnv = process.env, overrides: SupportOverrides = {}): Promise<SupportService> {
  const config = loadSupportConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels, ...(overrides.logger ? { logger: overrides.logger } : {}), monitorCommands: overrides.monitorCommands ?? false });
  try {
    const { bus, db, logger } = rt;
    const deps: SupportDeps = {
      committer: rt.committer,
      store: createSupportStore(db),
      logger,
      sla: config.sla,
      productFlagThreshold: config.productFlagThreshold,
      metrics: createSupportMetrics(rt.metrics.registry),
    };
    const consumers = await startSupportConsumers({ bus, db, logger, deps });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const sweep = startSweep(deps, config.sweepEveryMs);
    rt.onStop(() => sweep.stop());
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(db, base.loaderScope), deps }),
    });
    rt.onStop(() => server.stop());
    return { name: 'support', url: server.url, port: server.port, config, conn: rt.conn, db, bus, deps, consumers, sweep: (now) => sweepTickets(deps, now), stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startSupport());
