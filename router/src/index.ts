import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLFormattedError } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';
import { createLogger, createRedis, isMain, resolveRouterSigningKey, runMain, type Logger, type RunningService } from '@commerce/platform';
import { RedisKeyValueCache } from './redis-cache.ts';
import { loadRouterConfig, type RouterConfig } from './config.ts';
import type { RouterContext } from './context.ts';
import { createRouterHandler, type HealthReport } from './http-server.ts';
import type { RouterPlugin } from './plugin.ts';
import { useAuth } from './plugins/use-auth.ts';
import { useCors } from './plugins/use-cors.ts';
import { useErrorMasking } from './plugins/use-error-masking.ts';
import { useLogging } from './plugins/use-logging.ts';
import { createRouterMetrics, useMetrics, type RouterMetrics } from './plugins/use-metrics.ts';
import { usePartners } from './plugins/use-partners.ts';
import { useRateLimit } from './plugins/use-rate-limit.ts';
import { useScopes } from './plugins/use-scopes.ts';
import { useResponseCache } from './plugins/use-response-cache.ts';
import { useRequestLimits } from './plugins/use-request-limits.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';
import { loadSupergraph, resolveSubgraphs, type SubgraphEndpoint } from './supergraph.ts';

export { loadRouterConfig, subgraphUrlVar, type RouterConfig } from './config.ts';
export type { GraphQLParams, RouterContext, RouterRequest } from './context.ts';
export { graphqlErrorResponse, type EarlyResponse, type RouterPlugin } from './plugin.ts';
export { useAuth, verifyAccessToken, verifyCaller, type VerifiedCaller } from './plugins/use-auth.ts';
export { useCors } from './plugins/use-cors.ts';
export { useErrorMasking } from './plugins/use-error-masking.ts';
export { useLogging } from './plugins/use-logging.ts';
export { createRouterMetrics, useMetrics, type RouterMetrics } from './plugins/use-metrics.ts';
export { usePartners } from './plugins/use-partners.ts';
export { useRateLimit, clientOf, CLIENT_CLASSES, type ClientClass, type QueryCost } from './plugins/use-rate-limit.ts';
export { requestedCost, actualCost } from './cost/query-cost.ts';
export { useRequestLimits } from './plugins/use-request-limits.ts';
export { useScopes, rootFieldOwners } from './plugins/use-scopes.ts';
export { useResponseCache } from './plugins/use-response-cache.ts';
export type { SubgraphEndpoint } from './supergraph.ts';

export interface RouterOverrides {
  logger?: Logger;
  /** serve this SDL instead of reading SUPERGRAPH_PATH */
  supergraphSdl?: string;
  /** resolves access-token keys instead of fetching CUSTOMERS_JWKS_URL */
  jwtKeys?: JWTVerifyGetKey;
  /** extra plugins, after the built-in ones */
  plugins?: RouterPlugin[];
}

export interface RunningRouter extends RunningService {
  /** `http://host:port` (`url` is `<origin>/graphql`) */
  origin: string;
  config: RouterConfig;
  metrics: RouterMetrics;
  /** the subgraphs the router fetches from, with their resolved URLs */
  subgraphs: SubgraphEndpoint[];
  http: Server;
}

const READY_TIMEOUT_MS = 1_500;

function apolloLogger(logger: Logger) {
  return {
    debug: (m: unknown) => logger.debug(String(m)),
    info: (m: unknown) => logger.info(String(m)),
    warn: (m: unknown) => logger.warn(String(m)),
    error: (m: unknown) => logger.error(String(m)),
  };
}

async function checkSubgraphs(subgraphs: SubgraphEndpoint[]): Promise<HealthReport> {
  const checks: Record<string, string> = {};
  await Promise.all(
    subgraphs.map(async (s) => {
      try {
        const res = await fetch(new URL('/health/live', s.url), { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
        await res.body?.cancel();
        checks[s.name] = res.ok ? 'ok' : `down: HTTP ${res.status}`;
      } catch (err) {
        checks[s.name] = `down: ${(err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message}`;
      }
    }),
  );
  const ok = Object.values(checks).every((c) => c === 'ok');
  return { ok, body: { status: ok ? 'ok' : 'unavailable', service: 'router', subgraphs: checks } };
}

/**
 * Starts the router: config → supergraph → gateway → Apollo Server → node:http. Port 0 binds a
 * free port; the returned `url` is the bound GraphQL endpoint.
 */
export async function startRouter(env: NodeJS.ProcessEnv = process.env, overrides: RouterOverrides = {}): Promise<RunningRouter> {
  const config = loadRouterConfig(env);
  const logger = overrides.logger ?? createLogger('router', config.logLevel);
  // the key that signs every subgraph's context; production refuses to start without its own
  const signingKey = await resolveRouterSigningKey({ nodeEnv: config.nodeEnv, value: config.signingKey }, logger);
  const production = config.nodeEnv === 'production';
  const development = config.nodeEnv === 'development';
  const supergraph = overrides.supergraphSdl
    ? { sdl: overrides.supergraphSdl, subgraphs: resolveSubgraphs(overrides.supergraphSdl, config.subgraphUrls) }
    : await loadSupergraph(config.supergraphPath, config.subgraphUrls);

  const fetcher = createSubgraphFetcher({ maxSockets: config.subgraphMaxSockets });
  const redis = createRedis(config.redisUrl);
  const metrics = createRouterMetrics(fetcher.stats);
  const plugins: RouterPlugin[] = [
    useLogging({ logger }),
    useMetrics({ metrics }),
    useCors({ origins: config.corsOrigins }),
    useRequestLimits(config.limits),
    useAuth({ ...config.jwt, redis, ...(overrides.jwtKeys ? { keys: overrides.jwtKeys } : {}) }),
    useScopes({ supergraphSdl: supergraph.sdl }),
    usePartners({ redis }),
    useRateLimit({ redis, metrics, ...config.rateLimit }),
    ...(config.responseCache ? [useResponseCache({ redis, logger, metrics })] : []),
    useErrorMasking({ production }),
    ...(overrides.plugins ?? []),
  ];

  const urls = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
  // @apollo/gateway otherwise probes cloud metadata endpoints and exports usage metrics to
  // Apollo at construction (opt-out, read from the environment): the router sends nothing anywhere.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.sdl,
    logger: apolloLogger(logger.child({ component: 'gateway' })),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({ name, url: urls.get(name) ?? url ?? '', signingKey, fetcher: fetcher.fetcher, plugins }),
  });

  const formatters = plugins.flatMap((p) => (p.formatError ? [p.formatError.bind(p)] : []));
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    nodeEnv: config.nodeEnv,
    csrfPrevention: true,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: development,
    allowBatchedHttpRequests: false,
    persistedQueries: { cache: new RedisKeyValueCache(redis, 'apq:'), ttl: config.apqTtlSeconds || null },
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: plugins.flatMap((p) => p.validationRules ?? []),
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatters.reduce((f, format) => format(f, error), formatted),
    logger: apolloLogger(logger),
    plugins: [
      development ? ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }) : ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...plugins.flatMap((p) => (p.apollo ? [p.apollo].flat() : [])),
    ] as ApolloServerPlugin<RouterContext>[],
  });
  try {
    await apollo.start(); // loads the supergraph into the gateway; throws if it does not compose
  } catch (err) {
    fetcher.destroy();
    redis.disconnect();
    throw err;
  }

  let stopping = false;
  const handler = createRouterHandler({
    apollo,
    plugins,
    logger,
    landingPage: development,
    fallbackMaxBodyBytes: config.limits.maxBodyBytes,
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    live: () =>
      stopping
        ? { ok: false, body: { status: 'stopping', service: 'router' } }
        : { ok: true, body: { status: 'ok', service: 'router', subgraphs: supergraph.subgraphs.map((s) => s.name) } },
    ready: async () => (stopping ? { ok: false, body: { status: 'stopping', service: 'router' } } : checkSubgraphs(supergraph.subgraphs)),
    stopping: () => stopping,
  });
  const http = createServer(handler);
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  http.requestTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await apollo.stop();
    fetcher.destroy();
    redis.disconnect();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const origin = `http://${host}:${port}`;
  const url = `${origin}/graphql`;
  logger.info({ url, subgraphs: supergraph.subgraphs, nodeEnv: config.nodeEnv }, development ? `router listening; Sandbox at ${url}` : 'router listening');

  let stopped: Promise<void> | undefined;
  return {
    name: 'router',
    url,
    port,
    origin,
    config,
    metrics,
    subgraphs: supergraph.subgraphs,
    http,
    stop() {
      // Stop accepting, let in-flight requests finish (their connections close after the
      // response), force-close what is left after the grace period, then stop the gateway.
      stopped ??= (async () => {
        stopping = true;
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => http.closeAllConnections(), config.shutdownGraceMs);
          force.unref();
          http.close(() => {
            clearTimeout(force);
            resolve();
          });
          http.closeIdleConnections();
        });
        await apollo.stop();
        fetcher.destroy();
        redis.disconnect();
        logger.info('router stopped');
      })();
      return stopped;
    },
  };
}

if (isMain(import.meta.url)) runMain(() => startRouter());
