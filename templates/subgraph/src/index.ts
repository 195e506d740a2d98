import { readFileSync } from 'node:fs';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type RunningService } from '@commerce/platform';
import { load__Name__Config } from './config.ts';
import type { Context } from './context.ts';
import { createLoaders } from './loaders.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

/** Composition root: config → db → event bus → outbox relay → server. */
export async function start__Name__(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = load__Name__Config(env);
  const logger = createLogger('__name__', config.logLevel);
  const metrics = createMetrics('__name__');
  const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger });
  await ensureIndexes(conn);
  await ensureOutboxIndexes(conn.db!);
  const bus = await connectEventBus({ natsUrl: config.natsUrl, name: '__name__', registry: metrics.registry, consumerDefaults: config.events });
  const relay = startOutboxRelay({ db: conn.db!, bus, logger });
  const redis = createRedis(config.redisUrl);
  await relay.sweep();
  const committer = createCommitter(conn.db!, relay);
  void committer; // handed to the domain's use cases

  const server = await startSubgraphServer<Context>({
    name: '__name__',
    typeDefs,
    resolvers,
    permissions,
    host: config.host,
    port: config.port,
    nodeEnv: config.nodeEnv,
    routerSecret: config.routerSecret,
    logger,
    metrics,
    context: (base) => ({ ...base, loaders: createLoaders(conn) }),
    readiness: { mongo: () => pingMongo(conn), nats: () => bus.ping(), redis: () => redis.ping() },
  });

  return {
    name: '__name__',
    url: server.url,
    port: server.port,
    async stop() {
      await server.stop();
      await relay.stop();
      await bus.close();
      redis.disconnect();
      await conn.close();
    },
  };
}

if (isMain(import.meta.url)) runMain(() => start__Name__());
