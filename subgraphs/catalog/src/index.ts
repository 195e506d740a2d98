import { createCacheInvalidator, isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type RunningService } from '@commerce/platform';
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

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface CatalogService extends RunningService {
  deps: CatalogDeps;
}

/** Composition root: config → runtime (db, events, relay) → read model → server. */
export async function startCatalog(env: NodeJS.ProcessEnv = process.env): Promise<CatalogService> {
  const config = loadCatalogConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels });
  try {
    const { models, bus, logger } = rt;
    const index = new CatalogIndex();
    const deps: CatalogDeps = { models, committer: rt.committer, index, storeCurrency: config.storeCurrency };
    // cached router responses show this read model: every change to it retires them
    const responseCache = createCacheInvalidator(rt.redis, logger);
    const projection = await startCatalogProjection({ bus, models, index, logger, onChange: responseCache.invalidate });
    rt.onStop(() => projection.stop());
    const stock = await startStockProjection({ bus, db: rt.db, models, index, logger, onChange: responseCache.invalidate });
    rt.onStop(() => stock.stop());
    responseCache.invalidate(); // a (re)started catalog may hold other data than what was cached
    rt.onStop(() => responseCache.flush());
    if (config.seedProducts > 0 && !(await models.Product.exists({}))) {
      logger.info({ products: config.seedProducts }, 'seeding the demo catalog');
      await seedDemoCatalog(deps, config.seedProducts, (done, total) => logger.info({ done, total }, 'seeding products'));
    }
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(index, base.loaderScope), deps }),
    });
    rt.onStop(() => server.stop());
    return { name: 'catalog', url: server.url, port: server.port, deps, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startCatalog());
export { demoCategories, demoProduct } from './domain/demo-catalog.ts';
