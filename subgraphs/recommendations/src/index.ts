import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type RunningService } from '@commerce/platform';
import { loadRecommendationsConfig } from './config.ts';
import type { Context } from './context.ts';
import { createLoaders } from './loaders.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

/** Composition root: config → runtime (db, events, outbox relay) → consumers → server. */
export async function startRecommendations(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadRecommendationsConfig(env);
  // register this subgraph's mongoose models here; rt.committer commits through the outbox
  const rt = await startServiceRuntime(config, { models: () => ({}) });
  try {
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(rt.conn) }),
    });
    rt.onStop(() => server.stop());
    return { name: 'recommendations', url: server.url, port: server.port, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startRecommendations());
