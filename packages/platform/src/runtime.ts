import type { Db } from 'mongodb';
import { Counter } from 'prom-client';
import type { Connection } from 'mongoose';
import { openStorage, type Storage } from '@commerce/storage';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type Committer, type EventBus, type OutboxRelay } from '@commerce/events';
import type { ServiceConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { connectMongo, ensureIndexes, pingMongo } from './mongo.ts';
import { createRedis, type Redis } from './redis.ts';
import { resolveRouterPublicKey, type RouterVerificationKey } from './router-keys.ts';
import type { ReadinessCheck } from './server.ts';

/**
 * The part of a subgraph's composition root that is the same in every subgraph: logger and
 * metrics, its database (models registered, indexes ensured), the event bus, the outbox relay
 * (swept once at start, so a previous run's unpublished commits go out) and committer, Redis,
 * readiness checks — and one `stop()` that takes it all down in reverse order, together with
 * whatever the service registered with `onStop` (consumers, the HTTP server).
 */
export interface ServiceRuntime<M> {
  config: ServiceConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  conn: Connection;
  db: Db;
  /** the database's access patterns for its backend (batch reads, bulk marks) */
  storage: Storage;
  models: M;
  bus: EventBus;
  relay: OutboxRelay;
  committer: Committer;
  redis: Redis;
  readiness: Record<string, ReadinessCheck>;
  /** the startSubgraphServer options every subgraph passes the same way */
  server: {
    name: string;
    host: string;
    port: number;
    nodeEnv: ServiceConfig['nodeEnv'];
    /** the router's public key: verifies the router context (this service holds no signing key) */
    routerKey: RouterVerificationKey;
    logger: Logger;
    metrics: ServiceMetrics;
    readiness: Record<string, ReadinessCheck>;
    dataloaderBatching: boolean;
    storage: Storage;
  };
  /** runs `fn` on stop, before everything registered earlier */
  onStop(fn: () => unknown): void;
  stop(): Promise<void>;
}

export interface RuntimeOptions<M> {
  /** registers the service's mongoose models on its connection (before indexes are ensured) */
  models: (conn: Connection) => M;
  logger?: Logger;
  /** emit driver command events (tests count queries per request) */
  monitorCommands?: boolean;
  /** the outbox collection (an event-sourced service names its event store) */
  outbox?: string;
  /** how long published outbox entries are kept; null = forever */
  retentionMs?: number | null;
}

export async function startServiceRuntime<M>(config: ServiceConfig, opts: RuntimeOptions<M>): Promise<ServiceRuntime<M>> {
  const logger = opts.logger ?? createLogger(config.service, config.logLevel);
  const stops: Array<() => unknown> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, 'error while stopping');
      }
    }
  };
  try {
    // the router's public key first: a production start without one fails before anything connects
    const routerKey = await resolveRouterPublicKey({ nodeEnv: config.nodeEnv, value: config.routerPublicKey }, logger);
    const metrics = createMetrics(config.service);
    // every database command, by collection: queries per request, on the dashboard and in the bench
    const commands = new Counter({ name: 'mongodb_commands_total', help: 'Database commands sent, by command and collection', labelNames: ['command', 'collection'], registers: [metrics.registry] });
    const conn = await connectMongo({
      url: config.mongoUrl,
      dbName: config.dbName,
      logger,
      monitorCommands: opts.monitorCommands ?? false,
      onCommand: (c) => commands.inc({ command: c.command, collection: c.collection }),
    });
    stops.push(() => conn.close());
    const models = opts.models(conn);
    await ensureIndexes(conn);
    // mongoose bundles its own copy of the driver; the Db it hands out is the same API
    const db = conn.db as unknown as Db;
    const storage = await openStorage(db);
    await ensureOutboxIndexes(db, opts.outbox);
    const bus = await connectEventBus({
      natsUrl: config.natsUrl,
      ...(config.nats.user ? { user: config.nats.user, pass: config.nats.password ?? '' } : {}),
      name: config.service,
      service: config.service,
      registry: metrics.registry,
      consumerDefaults: config.events,
      streamReplicas: config.events.streamReplicas,
      onWarning: (details, message) => logger.warn(details, message),
    });
    stops.push(() => bus.close());
    const relay = startOutboxRelay({ db, bus, logger, ...(opts.outbox ? { outbox: opts.outbox } : {}), ...(opts.retentionMs !== undefined ? { retentionMs: opts.retentionMs } : {}) });
    stops.push(() => relay.stop());
    await relay.sweep();
    const redis = createRedis(config.redisUrl);
    stops.push(() => redis.disconnect());
    const readiness: Record<string, ReadinessCheck> = { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() };
    return {
      config,
      logger,
      metrics,
      conn,
      db,
      storage,
      models,
      bus,
      relay,
      committer: createCommitter(db, relay, opts.outbox ? { outbox: opts.outbox } : {}),
      redis,
      readiness,
      server: { name: config.service, host: config.host, port: config.port, nodeEnv: config.nodeEnv, routerKey, logger, metrics, readiness, dataloaderBatching: config.dataloaderBatching, storage },
      onStop: (fn) => stops.push(fn),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
