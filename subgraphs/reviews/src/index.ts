import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type EventBus, type RunningConsumer } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadReviewsConfig, type ReviewsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { ReviewsDeps } from './domain/deps.ts';
import { repairPendingRatings, startRatingRepair } from './domain/rating.ts';
import { startEligibilityConsumers } from './events/eligibility.consumer.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/review.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface ReviewsOverrides {
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
}

export interface ReviewsService extends RunningService {
  config: ReviewsConfig;
  conn: Connection;
  bus: EventBus;
  deps: ReviewsDeps;
  /** the durable consumers (tests delete theirs after use) */
  consumers: RunningConsumer[];
  /** runs the rating repair sweep once (also runs every REVIEWS_RATING_REPAIR_EVERY_MS) */
  repairRatings(now?: number): Promise<number>;
}

/**
 * Composition root: config → db → event bus → outbox relay → rating repair → eligibility
 * consumers → server. Whatever was started is stopped again if a later step fails.
 */
export async function startReviews(env: NodeJS.ProcessEnv = process.env, overrides: ReviewsOverrides = {}): Promise<ReviewsService> {
  const config = loadReviewsConfig(env);
  const logger = overrides.logger ?? createLogger('reviews', config.logLevel);
  const undo: Array<() => Promise<unknown>> = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step().catch((err) => logger.warn({ err }, 'error while stopping'));
    undo.length = 0;
  };
  try {
    const metrics = createMetrics('reviews');
    const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger, monitorCommands: overrides.monitorCommands ?? false });
    undo.push(() => conn.close());
    const collections = registerModels(conn);
    await ensureIndexes(conn);
    const db = conn.db as unknown as Db;
    await ensureOutboxIndexes(db);
    const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'reviews', registry: metrics.registry, consumerDefaults: config.events });
    undo.push(() => bus.close());
    const relay = startOutboxRelay({ db, bus, logger });
    undo.push(() => relay.stop());
    await relay.sweep(); // publish what a previous run stored but did not get out
    const redis = createRedis(config.redisUrl);
    undo.push(async () => redis.disconnect());

    const deps: ReviewsDeps = { collections, committer: createCommitter(db, relay), logger, ratingRepairGraceMs: config.ratingRepairGraceMs };
    await repairPendingRatings(deps); // count what a previous run stored but did not count
    const repair = startRatingRepair(deps, config.ratingRepairEveryMs);
    undo.push(() => repair.stop());

    const consumers = await startEligibilityConsumers({ bus, db, logger, deps, name: 'reviews-eligibility' });
    for (const c of consumers) undo.push(() => c.stop());

    const server = await startSubgraphServer<Context>({
      name: 'reviews',
      typeDefs,
      resolvers,
      permissions,
      host: config.host,
      port: config.port,
      nodeEnv: config.nodeEnv,
      routerSecret: config.routerSecret,
      logger,
      metrics,
      context: (base) => ({ ...base, loaders: createLoaders(collections), deps }),
      readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
    });
    undo.push(() => server.stop());

    return {
      name: 'reviews',
      url: server.url,
      port: server.port,
      config,
      conn,
      bus,
      deps,
      consumers,
      repairRatings: (now) => repairPendingRatings(deps, now),
      stop: unwind,
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startReviews());
