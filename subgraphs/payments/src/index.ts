import { readFileSync } from 'node:fs';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay, type RunningConsumer } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadPaymentsConfig, type PaymentsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { PaymentsDeps } from './domain/deps.ts';
import type { PaymentProvider } from './domain/provider.ts';
import { TestPaymentProvider } from './domain/test-provider.ts';
import { startPaymentConsumers } from './events/payment-consumers.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/payment.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface PaymentsOverrides {
  /** replaces the JSON stdout logger */
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
  /** wraps the configured provider (tests count calls or make it fail) */
  wrapProvider?: (provider: PaymentProvider) => PaymentProvider;
}

export interface PaymentsService extends RunningService {
  config: PaymentsConfig;
  conn: Connection;
  db: Db;
  deps: PaymentsDeps;
  /** the configured provider adapter (before any wrapping) */
  provider: PaymentProvider;
  consumers: RunningConsumer[];
}

function createProvider(config: PaymentsConfig, db: Db): PaymentProvider {
  switch (config.provider) {
    case 'test':
      return new TestPaymentProvider(db, config.providerDelayMs);
  }
}

/**
 * Composition root: config → db → event bus → outbox relay → provider → consumers → server.
 * Whatever was started is stopped again if a later step fails.
 */
export async function startPayments(env: NodeJS.ProcessEnv = process.env, overrides: PaymentsOverrides = {}): Promise<PaymentsService> {
  const config = loadPaymentsConfig(env);
  const logger = overrides.logger ?? createLogger('payments', config.logLevel);
  const undo: Array<[string, () => Promise<unknown>]> = [];
  const unwind = async () => {
    for (const [name, step] of undo.reverse()) {
      const started = Date.now();
      await step().catch((err) => logger.warn({ err, step: name }, 'error while stopping'));
      logger.debug({ step: name, ms: Date.now() - started }, 'stopped');
    }
  };
  try {
    if (config.provider === 'test' && config.nodeEnv === 'production') logger.warn('PAYMENTS_PROVIDER=test in production: no real money moves');
    const metrics = createMetrics('payments');
    const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger, monitorCommands: overrides.monitorCommands ?? false });
    undo.push(['mongo', () => conn.close()]);
    registerModels(conn);
    await ensureIndexes(conn);
    // mongoose bundles its own copy of the driver; the Db it hands out is the same API
    const db = conn.db as unknown as Db | undefined;
    if (!db) throw new Error('mongo connection has no database');
    await ensureOutboxIndexes(db);
    const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'payments', registry: metrics.registry, consumerDefaults: config.events });
    undo.push(['bus', () => bus.close()]);
    const relay = startOutboxRelay({ db, bus, logger });
    undo.push(['relay', () => relay.stop()]);
    await relay.sweep(); // publish what a previous run stored but did not get out
    const redis = createRedis(config.redisUrl);
    undo.push(['redis', async () => redis.disconnect()]);

    const provider = createProvider(config, db);
    const deps: PaymentsDeps = {
      committer: createCommitter(db, relay),
      provider: overrides.wrapProvider ? overrides.wrapProvider(provider) : provider,
      operationLeaseMs: config.operationLeaseMs,
      logger,
    };
    const consumers = await startPaymentConsumers({ bus, db, logger, deps });
    undo.push(['consumers', () => Promise.all(consumers.map((c) => c.stop()))]);

    const server = await startSubgraphServer<Context>({
      name: 'payments',
      typeDefs,
      resolvers,
      permissions,
      host: config.host,
      port: config.port,
      nodeEnv: config.nodeEnv,
      routerSecret: config.routerSecret,
      logger,
      metrics,
      context: (base) => ({ ...base, loaders: createLoaders(db) }),
      readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
    });
    undo.push(['server', () => server.stop()]);

    let stopping: Promise<void> | null = null;
    return {
      name: 'payments',
      url: server.url,
      port: server.port,
      config,
      conn,
      db,
      deps,
      provider,
      consumers,
      stop() {
        // server, consumers, relay, bus, redis, mongo: the reverse of the start
        stopping ??= unwind();
        return stopping;
      },
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startPayments());
