import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import type { EventBus, RunningConsumer } from '@commerce/events';
import { createCacheInvalidator, isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadReviewsConfig, type ReviewsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { ReviewsDeps } from './domain/deps.ts';
import { repairPendingRatings, startRatingRepair } from './domain/rating.ts';
import { RatingsView } from './domain/ratings-view.ts';
import { startRatingsProjection } from './events/ratings-projection.ts';
import { startEligibilityConsumers } from './events/eligibility.consumer.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/review.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

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
  /** every product's rating and newest reviews, in memory (what the storefront reads) */
  ratings: RatingsView;
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
  const rt = await startServiceRuntime(config, { models: registerModels, ...(overrides.logger ? { logger: overrides.logger } : {}), monitorCommands: overrides.monitorCommands ?? false });
  try {
    const { bus, db, logger } = rt;
    const collections = rt.models;
    const responseCache = createCacheInvalidator(rt.redis, logger);
    rt.onStop(() => responseCache.flush());
    const deps: ReviewsDeps = { collections, committer: rt.committer, logger, ratingRepairGraceMs: config.ratingRepairGraceMs, invalidateResponseCache: responseCache.invalidate };
    const ratings = new RatingsView();
    const projection = await startRatingsProjection({ bus, committer: rt.committer, ratings: collections.ratings, view: ratings, logger });
    rt.onStop(() => projection.stop());
    await repairPendingRatings(deps); // count what a previous run stored but did not count
    const repair = startRatingRepair(deps, config.ratingRepairEveryMs);
    rt.onStop(() => repair.stop());
    const consumers = await startEligibilityConsumers({ bus, db, logger, deps, name: 'reviews-eligibility' });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(collections, ratings, base.loaderScope), deps }),
    });
    rt.onStop(() => server.stop());
    return {
      name: 'reviews',
      url: server.url,
      port: server.port,
      config,
      conn: rt.conn,
      bus,
      deps,
      ratings,
      consumers,
      repairRatings: (now) => repairPendingRatings(deps, now),
      stop: rt.stop,
    };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startReviews());
