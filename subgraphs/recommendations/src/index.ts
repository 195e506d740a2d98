import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import type { EventBus } from '@commerce/events';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadRecommendationsConfig, type RecommendationsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { Rng } from './domain/bandit.ts';
import type { RecommendationsDeps, SnapshotInfo, SnapshotStore } from './domain/deps.ts';
import type { ModelOptions, RankingSignals } from './domain/model.ts';
import { Recommender } from './domain/recommender.ts';
import { startSnapshots, type Snapshotter } from './domain/snapshots.ts';
import { startModelFeed, type ModelFeed } from './events/model-feed.ts';
import { createLoaders } from './loaders.ts';
import { createRecommendationsMetrics } from './metrics.ts';
import { registerModels } from './model/snapshot.model.ts';
import { createSnapshotStore } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface RecommendationsOverrides {
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
  /** the bandit's random source (tests pass a seeded one); default Math.random */
  rng?: Rng;
  /** the model's tuning (default: model.ts DEFAULT_MODEL_OPTIONS) */
  model?: Partial<ModelOptions>;
  /** other services' signals on products (none yet) */
  signals?: RankingSignals;
}

export interface RecommendationsService extends RunningService {
  config: RecommendationsConfig;
  conn: Connection;
  db: Db;
  bus: EventBus;
  deps: RecommendationsDeps;
  recommender: Recommender;
  store: SnapshotStore;
  feed: ModelFeed;
  snapshots: Snapshotter;
  /** the snapshot the instance started from (null: it replayed the stream from its cold-start position) */
  startedFrom: SnapshotInfo | null;
}

/**
 * Composition root: config → runtime (db, events) → the newest snapshot → the ordered tail of the
 * stream after it, replayed until caught up → snapshots → server. The server answers only once the
 * model holds every event the stream had at start.
 */
export async function startRecommendations(env: NodeJS.ProcessEnv = process.env, overrides: RecommendationsOverrides = {}): Promise<RecommendationsService> {
  const config = loadRecommendationsConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels, ...(overrides.logger ? { logger: overrides.logger } : {}), monitorCommands: overrides.monitorCommands ?? false });
  try {
    const { bus, db, logger } = rt;
    const started = Date.now();
    const store = createSnapshotStore(db, { chunkBytes: config.snapshotChunkBytes });
    const modelOpts = { ...(overrides.model ? { model: overrides.model } : {}), ...(overrides.signals ? { signals: overrides.signals } : {}) };
    let recommender: Recommender | null = null;
    let startedFrom: SnapshotInfo | null = null;
    try {
      const loaded = await store.loadLatest();
      if (loaded) {
        recommender = Recommender.restore(loaded.snapshot, modelOpts);
        startedFrom = loaded.info;
      }
    } catch (err) {
      // an unreadable snapshot must not keep the service down: the stream rebuilds what it retains
      logger.error({ err }, 'recommendations snapshot unreadable; rebuilding from the stream');
      recommender = null;
      startedFrom = null;
    }
    const rec = recommender ?? Recommender.create(modelOpts);
    const metrics = createRecommendationsMetrics(rt.metrics.registry, () => rec);
    const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

    // stop order (reverse of registration): server, feed, final snapshot, then the runtime
    let snapshots: Snapshotter | null = null;
    rt.onStop(() => snapshots?.stop());
    const feed = await startModelFeed({ bus, logger, recommender: rec, metrics, afterSequence: startedFrom ? rec.lastAppliedSequence : null, coldStart: config.coldStartFrom });
    rt.onStop(() => feed.stop());
    await feed.caughtUp;
    logger.info({ from: startedFrom?.sequence ?? config.coldStartFrom, at: rec.lastAppliedSequence, ...rec.model.stats(), ms: Date.now() - started }, 'recommendations model rebuilt');
    snapshots = startSnapshots({ recommender: rec, store, everyMs: config.snapshotEveryMs, instanceId, logger, metrics, loaded: startedFrom });
    const snapshotter = snapshots;

    const deps: RecommendationsDeps = { recommender: rec, rng: overrides.rng ?? Math.random, metrics, logger, lastSnapshot: () => snapshotter.last() };
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(), deps }),
    });
    rt.onStop(() => server.stop());
    return { name: 'recommendations', url: server.url, port: server.port, config, conn: rt.conn, db, bus, deps, recommender: rec, store, feed, snapshots: snapshotter, startedFrom, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startRecommendations());
