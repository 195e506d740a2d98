import { readFileSync } from 'node:fs';
import { connectEventBus, createCommitter, ensureOutboxIndexes, startOutboxRelay } from '@commerce/events';
import { connectMongo, createLogger, createMetrics, createRedis, ensureIndexes, isMain, pingMongo, runMain, startSubgraphServer, type RunningService } from '@commerce/platform';
import { loadCatalogConfig } from './config.ts';
import type { Context } from './context.ts';
import { CatalogIndex } from './domain/catalog-index.ts';
import { seedDemoCatalog } from './domain/demo-catalog.ts';
import type { CatalogDeps } from './domain/deps.ts';
import { startCatalogProjection } from './events/catalog-projection.ts';
import { startStockProjection } from './events/stock-projection.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/product.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface CatalogService extends RunningService {
  deps: CatalogDeps;
}

/** Composition root: config → db → event bus → outbox relay → read model → server. */
export async function startCatalog(env: NodeJS.ProcessEnv = process.env): Promise<CatalogService> {
  const config = loadCatalogConfig(env);
  const logger = createLogger('catalog', config.logLevel);
  const metrics = createMetrics('catalog');
  const conn = await connectMongo({ url: config.mongoUrl, dbName: config.dbName, logger });
  const models = registerModels(conn);
  await ensureIndexes(conn);
  await ensureOutboxIndexes(conn.db!);
  const bus = await connectEventBus({ natsUrl: config.natsUrl, name: 'catalog', registry: metrics.registry, consumerDefaults: config.events });
  const relay = startOutboxRelay({ db: conn.db!, bus, logger });
  const redis = createRedis(config.redisUrl);
  await relay.sweep(); // publish what a previous run stored but did not get out
  const index = new CatalogIndex();
  const deps: CatalogDeps = { models, committer: createCommitter(conn.db!, relay), index, storeCurrency: config.storeCurrency };

  const projection = await startCatalogProjection({ bus, models, index, logger });
  const stock = await startStockProjection({ bus, db: conn.db!, models, index, logger });
  if (config.seedProducts > 0 && !(await models.Product.exists({}))) {
    logger.info({ products: config.seedProducts }, 'seeding the demo catalog');
    await seedDemoCatalog(deps, config.seedProducts, (done, total) => logger.info({ done, total }, 'seeding products'));
  }

  const server = await startSubgraphServer<Context>({
    name: 'catalog',
    typeDefs,
    resolvers,
    permissions,
    host: config.host,
    port: config.port,
    nodeEnv: config.nodeEnv,
    routerSecret: config.routerSecret,
    logger,
    metrics,
    context: (base) => ({ ...base, loaders: createLoaders(index), deps }),
    readiness: {
      mongo: () => pingMongo(conn),
      nats: () => bus.ping(),
      redis: () => redis.ping(),
    },
  });

  return {
    name: 'catalog',
    url: server.url,
    port: server.port,
    deps,
    async stop() {
      await server.stop();
      await projection.stop();
      await stock.stop();
      await relay.stop();
      await bus.close();
      redis.disconnect();
      await conn.close();
    },
  };
}

if (isMain(import.meta.url)) runMain(() => startCatalog());
