import { lookup } from 'node:dns/promises';
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import type { EventBus, RunningConsumer } from '@commerce/events';
import { isMain, loadSubgraphTypeDefs, runMain, startPeriodic, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadWebhooksConfig, type WebhooksConfig } from './config.ts';
import type { Context } from './context.ts';
import { deliverStep } from './domain/deliver.ts';
import { pruneLog } from './domain/delivery-log.ts';
import type { Sender, WebhooksDeps } from './domain/deps.ts';
import { startDeliveryQueue, type RunningDeliveryQueue } from './events/delivery-queue.ts';
import { createHttpSender } from './events/http-sender.ts';
import { startWebhookConsumers } from './events/webhook-consumers.ts';
import { createLoaders } from './loaders.ts';
import { createWebhooksMetrics } from './metrics.ts';
import { createDeliveryStore, createHealthStore, createRouteStore, createStockLevelStore, createSubscriptionStore, ensureWebhooksIndexes } from './model/store.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface WebhooksOverrides {
  logger?: Logger;
  /** the HTTP client of deliveries (tests: a sender that counts) */
  sender?: Sender;
}

export interface WebhooksService extends RunningService {
  config: WebhooksConfig;
  conn: Connection;
  db: Db;
  bus: EventBus;
  deps: WebhooksDeps;
  consumers: RunningConsumer[];
  queue: RunningDeliveryQueue;
}

/** Composition root: config → runtime (db, events, outbox relay) → delivery queue → consumers → server. */
export async function startWebhooks(env: NodeJS.ProcessEnv = process.env, overrides: WebhooksOverrides = {}): Promise<WebhooksService> {
  const config = loadWebhooksConfig(env);
  const rt = await startServiceRuntime(config, { models: () => ({}), ...(overrides.logger ? { logger: overrides.logger } : {}) });
  try {
    const { bus, db, logger } = rt;
    await ensureWebhooksIndexes(db);
    let queue: RunningDeliveryQueue | null = null;
    const deps: WebhooksDeps = {
      subscriptions: createSubscriptionStore(db, rt.committer),
      routes: createRouteStore(db),
      deliveries: createDeliveryStore(db),
      stockLevels: createStockLevelStore(db),
      // a streak is forgotten when no attempt failed for the disable window plus a week
      health: createHealthStore(rt.redis, config.redisPrefix, config.disable.afterMs + 7 * 86_400_000),
      queue: { enqueue: (work) => queue!.enqueue(work) },
      sender: overrides.sender ?? createHttpSender({ allowPrivate: config.allowPrivateTargets }),
      target: { allowPrivate: config.allowPrivateTargets, resolve: async (host) => (await lookup(host, { all: true })).map((a) => a.address) },
      retry: config.retry,
      disable: config.disable,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      lowStockThreshold: config.lowStockThreshold,
      retentionDays: config.retentionDays,
      maxSubscriptionsPerPartner: config.maxSubscriptionsPerPartner,
      secretOverlapMs: config.secretOverlapMs,
      metrics: createWebhooksMetrics(rt.metrics.registry),
      logger,
      now: () => new Date(),
    };
    queue = await startDeliveryQueue({ bus, db, logger, concurrency: config.concurrency, ackWaitMs: config.deliveryTimeoutMs + 10_000, step: (work, attempt) => deliverStep(deps, work, attempt) });
    rt.onStop(() => queue!.stop());
    const consumers = await startWebhookConsumers({ bus, db, logger, deps });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const sweep = startPeriodic({ everyMs: config.sweepEveryMs, run: () => pruneLog(deps), logger, what: 'webhook log pruning' });
    rt.onStop(() => sweep.stop());
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(db, base.loaderScope), deps }),
    });
    rt.onStop(() => server.stop());
    logger.info({ allowPrivateTargets: config.allowPrivateTargets, lowStockThreshold: config.lowStockThreshold }, 'webhooks ready');
    return { name: 'webhooks', url: server.url, port: server.port, config, conn: rt.conn, db, bus, deps, consumers, queue, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startWebhooks());
