import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { emitEvents, eraseStreamMessages, type EventBus, type RunningConsumer } from '@commerce/events';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type Redis, type RunningService } from '@commerce/platform';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { AnalyticsDeps } from './domain/deps.ts';
import { ensureRestored, startFlusher } from './domain/rollup.ts';
import { startAnalyticsConsumers } from './events/analytics-consumers.ts';
import { createLoaders } from './loaders.ts';
import { createAnalyticsMetrics } from './metrics.ts';
import { registerModels } from './model/analytics.model.ts';
import { createRedisBuckets } from './model/redis-buckets.ts';
import { createAnalyticsStore } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface AnalyticsOverrides {
  logger?: Logger;
  /** the clock of the use cases (tests) */
  now?: () => number;
}

export interface AnalyticsService extends RunningService {
  config: AnalyticsConfig;
  conn: Connection;
  db: Db;
  bus: EventBus;
  redis: Redis;
  deps: AnalyticsDeps;
  consumers: RunningConsumer[];
  /** the flusher's work now (it also runs every ANALYTICS_FLUSH_EVERY_MS): restore if Redis lost its data, copy buckets into the rollups */
  flush(): Promise<void>;
}

/** Composition root: config → runtime (db, events, outbox relay, Redis) → restore → consumers → flusher → server. */
export async function startAnalytics(env: NodeJS.ProcessEnv = process.env, overrides: AnalyticsOverrides = {}): Promise<AnalyticsService> {
  const config = loadAnalyticsConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels, ...(overrides.logger ? { logger: overrides.logger } : {}) });
  try {
    const { bus, db, logger, redis } = rt;
    const retention = { minuteSeconds: config.minuteTtlSeconds, hourSeconds: config.hourTtlSeconds, minuteRollupDays: config.minuteRollupDays };
    const deps: AnalyticsDeps = {
      committer: rt.committer,
      emit: (events) => emitEvents(bus, rt.committer, events),
      eraseMessages: (seqs) => eraseStreamMessages(bus, seqs),
      store: createAnalyticsStore(db, retention),
      buckets: createRedisBuckets(redis, { prefix: config.redisPrefix, dedupTtlSeconds: config.dedupTtlSeconds, minuteTtlSeconds: config.minuteTtlSeconds, hourTtlSeconds: config.hourTtlSeconds }),
      metrics: createAnalyticsMetrics(rt.metrics.registry),
      logger,
      retention,
      now: overrides.now ?? Date.now,
    };
    // a Redis that lost its data gets the rollups back before anything is counted on top
    await ensureRestored(deps);
    // stopped after the consumers (onStop runs in reverse order): its last flush sees every count
    const flusher = startFlusher(deps, config.flushEveryMs);
    rt.onStop(() => flusher.stop());
    const consumers = await startAnalyticsConsumers({ bus, db, logger, deps });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(rt.conn), deps }),
    });
    rt.onStop(() => server.stop());
    return { name: 'analytics', url: server.url, port: server.port, config, conn: rt.conn, db, bus, redis, deps, consumers, flush: () => flusher.tick(), stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startAnalytics());
