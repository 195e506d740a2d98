import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { applyMiddleware } from 'graphql-middleware';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import type { IRules } from 'graphql-shield';
import { storageFor, type Storage } from '@commerce/storage';
import { buildPermissions } from './auth.ts';
import type { BaseContext } from './context.ts';
import type { LoaderScope } from './loaders.ts';
import type { Logger } from './logger.ts';
import { createMetrics, operationLabels, type ServiceMetrics } from './metrics.ts';
import type { RouterVerificationKey } from './router-keys.ts';
import { CONTEXT_HEADER, createContextVerifier, UntrustedCallerError, type InternalContext } from './trust.ts';
import { context as otelContext, SpanKind, trace } from '@opentelemetry/api';
import { contextFromHeaders, endSpan, platformTracer, traceparentOf } from './trace.ts';
import { serviceNameOf, startTelemetry } from './telemetry.ts';

export type ReadinessCheck = () => Promise<unknown>;
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type InternalRouteHandler = (ctx: InternalContext, url: URL) => Promise<{ status: number; body: unknown }>;

/**
 * A GET route for other services. Subgraphs cannot sign a router context (they hold only the
 * router's public key), so a calling service forwards the one the router signed for the request it
 * is serving (callInternal): `callers` names the subgraphs whose contexts this route accepts (the
 * token's `aud`), and the identity is the one the router put in it — the caller cannot change it.
 */
export interface InternalRoute {
  callers: readonly string[];
  handler: InternalRouteHandler;
}

export interface SubgraphServerOptions<Ctx extends BaseContext> {
  name: string;
  typeDefs: string;
  // Resolver maps mix object types, scalars and __resolveReference; the subgraph's own codegen types check them.
  resolvers: GraphQLResolverMap<unknown> | object;
  permissions: IRules;
  host: string;
  port: number;
  nodeEnv: 'development' | 'test' | 'production';
  /**
   * the router's public key (ROUTER_PUBLIC_KEY): every request must carry a context the router
   * signed for this subgraph (`aud` = `name`), unexpired
   */
  routerKey: RouterVerificationKey;
  logger: Logger;
  /** extends the verified base context with loaders and services (called once per request) */
  context: (base: BaseContext) => Ctx | Promise<Ctx>;
  /** named dependency checks for /health/ready (DB, NATS, Redis) */
  readiness: Record<string, ReadinessCheck>;
  /** extra public GET routes, e.g. the JWKS of the customers subgraph */
  routes?: Record<string, RouteHandler>;
  /**
   * public POST routes from outside the platform, e.g. a payment provider's webhooks: no router
   * context is asked for, so the handler must authenticate the request itself (the provider's
   * signature over the raw body, which it reads from `req`)
   */
  postRoutes?: Record<string, RouteHandler>;
  /**
   * public handlers for every method and path under a prefix (`/oauth` → `/oauth`, `/oauth/…`), e.g.
   * the customers' OAuth 2.0 provider; like postRoutes, they authenticate requests themselves
   */
  mounts?: Record<string, RouteHandler>;
  /**
   * GET routes for other services only (not in the supergraph): the caller must send a valid
   * router-signed context for one of the route's callers, whose identity the handler receives.
   * E.g. orders reads a cart to check out.
   */
  internalRoutes?: Record<string, InternalRoute>;
  /** largest accepted request body in bytes */
  maxBodyBytes?: number;
  /** the service's metrics, when it created them earlier (to share the registry with its event bus) */
  metrics?: ServiceMetrics;
  /** DataLoader batching (default on; off only to measure what it saves) */
  dataloaderBatching?: boolean;
  /** how loaders read batches from this service's database (default: one `$in`, the MongoDB form) */
  storage?: Storage;
}

export interface SubgraphServer {
  url: string;
  port: number;
  metrics: ServiceMetrics;
  http: Server;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

/**
 * The trace context of an incoming request: its `traceparent` header (W3C, via the propagator),
 * else the one the router signed into the context, else none (a new trace).
 */
function incomingContext(req: IncomingMessage, signed: string | undefined) {
  if (req.headers.traceparent) return contextFromHeaders(req.headers);
  return signed ? contextFromHeaders({ traceparent: signed }) : otelContext.active();
}

/** Answers JSON with its length (routes of a service, e.g. payments' webhooks, answer the same way). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export class BodyTooLargeError extends Error {}

/**
 * The request body as bytes, refused past `limit` (the declared length first, then what
 * arrives): a POST route that must see the exact bytes (a signature over them) reads it here.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return (await readRawBody(req, limit)).toString('utf8');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

/** Hides internal error details from clients in production; the full error goes to the log. */
function formatErrorFor(nodeEnv: string, logger: Logger, metrics: ServiceMetrics) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    metrics.graphqlErrors.inc({ code });
    if (code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ err: error }, 'internal error in resolver');
      if (nodeEnv === 'production') {
        return { message: 'Internal server error', extensions: { code } };
      }
    }
    return formatted;
  };
}

function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<BaseContext> {
  // operation names come from clients (through the router's query plans): bounded like the router's
  const label = operationLabels();
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(rc) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlOperations.observe(
            { operation: label(rc.operationName), type: rc.operation?.operation ?? 'unknown', outcome: rc.errors?.length ? 'error' : 'ok' },
            seconds,
          );
        },
      };
    },
  };
}

/**
 * Starts one subgraph: Apollo Server over a federation schema wrapped in graphql-shield, behind a
 * router-only gate, with health and metrics endpoints. Every subgraph starts through here.
 */
export async function startSubgraphServer<Ctx extends BaseContext>(opts: SubgraphServerOptions<Ctx>): Promise<SubgraphServer> {
  const { logger } = opts;
  const metrics = opts.metrics ?? createMetrics(opts.name);
  const loaderScope: LoaderScope = { batching: opts.dataloaderBatching ?? true, metrics, storage: opts.storage ?? storageFor('mongodb') };
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const subgraphSchema = buildSubgraphSchema({ typeDefs: parse(opts.typeDefs), resolvers: opts.resolvers as GraphQLResolverMap<unknown> });
  const schema = applyMiddleware(subgraphSchema, buildPermissions(opts.permissions, subgraphSchema));
  const apollo = new ApolloServer<Ctx>({
    schema,
    introspection: opts.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: opts.nodeEnv === 'development',
    csrfPrevention: true,
    // runMain owns SIGINT/SIGTERM: Apollo's own handlers would race it and exit with code 1
    stopOnTerminationSignals: false,
    formatError: formatErrorFor(opts.nodeEnv, logger, metrics),
    // no Apollo Studio: federated inline traces would only cost time (the router strips the header too)
    plugins: [metricsPlugin(metrics) as ApolloServerPlugin<Ctx>, ApolloServerPluginInlineTraceDisabled()],
    logger: { debug: () => {}, info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  await apollo.start();

  const routes: Record<string, RouteHandler> = {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok', service: opts.name }),
    '/health/ready': async (_req, res) => {
      const results: Record<string, string> = {};
      let ok = true;
      await Promise.all(
        Object.entries(opts.readiness).map(async ([name, check]) => {
          try {
            await withTimeout(check(), READY_TIMEOUT_MS);
            results[name] = 'ok';
          } catch (err) {
            ok = false;
            results[name] = `down: ${(err as Error).message}`;
          }
        }),
      );
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', service: opts.name, checks: results });
    },
    '/metrics': async (_req, res) => {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
    ...opts.routes,
  };

  // remembers the router's tokens it accepted until they expire: one signature check per token, not per request
  const contexts = createContextVerifier(opts.routerKey);
  /** the request id: the token's when it names one (a tool acting as the router), else the router's `x-request-id` */
  const requestIdOf = (req: IncomingMessage, ctx: InternalContext) => ctx.requestId || requestIdFrom(req.headers['x-request-id']);

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const routerToken = req.headers[CONTEXT_HEADER] as string | undefined;
    let internal;
    try {
      internal = await contexts.verify(routerToken, { audience: opts.name });
    } catch (err) {
      if (err instanceof UntrustedCallerError) {
        // Not the router: answer nothing, not even _service or _entities.
        sendJson(res, 401, { errors: [{ message: 'This service only answers the router', extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
      throw err;
    }
    let body: unknown;
    if (req.method === 'POST') {
      let raw: string;
      try {
        raw = await readBody(req, maxBody);
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          sendJson(res, 413, { errors: [{ message: `Request body larger than ${maxBody} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
          return;
        }
        throw err;
      }
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const requestId = requestIdOf(req, internal);
    // One SERVER span per operation, child of the router's fetch (`traceparent` header; only the
    // router gets this far). Every line logged for this request carries its request id, and
    // trace_id / span_id from the logger's mixin.
    const operationName = body && typeof body === 'object' ? (body as { operationName?: unknown }).operationName : undefined;
    const span = platformTracer.startSpan(
      `POST /graphql`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method ?? 'POST', 'url.path': url.pathname, 'commerce.service': opts.name, ...(typeof operationName === 'string' ? { 'graphql.operation.name': operationName } : {}) },
      },
      incomingContext(req, internal.traceparent),
    );
    const spanContext = trace.setSpan(otelContext.active(), span);
    const traceparent = traceparentOf(spanContext);
    const child = logger.child({ requestId });
    const base: BaseContext = {
      requestId,
      user: internal.user,
      logger: child,
      loaderScope,
      routerToken: routerToken!,
      ...(traceparent ? { traceparent } : {}),
      ...(internal.clientIp ? { clientIp: internal.clientIp } : {}),
      ...(internal.partner ? { partner: internal.partner } : {}),
    };
    let failure: unknown;
    try {
      await otelContext.with(spanContext, async () => {
        const result = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body },
          context: async () => opts.context(base),
        });
        const outHeaders: Record<string, string> = {};
        for (const [k, v] of result.headers) outHeaders[k] = v;
        span.setAttribute('http.response.status_code', result.status ?? 200);
        res.writeHead(result.status ?? 200, outHeaders);
        if (result.body.kind === 'complete') {
          res.end(result.body.string);
        } else {
          for await (const chunk of result.body.asyncIterator) res.write(chunk);
          res.end();
        }
      });
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      endSpan(span, failure);
    }
  };

  const mounts = Object.entries(opts.mounts ?? {}).map(([prefix, handler]) => ({ prefix: prefix.replace(/\/$/, ''), handler }));
  const mountFor = (pathname: string) => mounts.find((m) => pathname === m.prefix || pathname.startsWith(`${m.prefix}/`));

  const http = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route = url.pathname;
    try {
      const handler = req.method === 'GET' ? routes[url.pathname] : req.method === 'POST' ? opts.postRoutes?.[url.pathname] : undefined;
      const internal = req.method === 'GET' ? opts.internalRoutes?.[url.pathname] : undefined;
      const mount = handler || internal ? undefined : mountFor(url.pathname);
      if (handler) {
        await handler(req, res);
      } else if (mount) {
        route = mount.prefix;
        await mount.handler(req, res);
      } else if (internal) {
        route = url.pathname;
        let ctx: InternalContext;
        try {
          const verified = await contexts.verify(req.headers[CONTEXT_HEADER] as string | undefined, { audience: internal.callers });
          ctx = { ...verified, requestId: requestIdOf(req, verified) };
        } catch (err) {
          if (!(err instanceof UntrustedCallerError)) throw err;
          sendJson(res, 401, { error: 'internal route: caller not trusted' });
          return;
        }
        const span = platformTracer.startSpan(`GET ${url.pathname}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': url.pathname, 'commerce.service': opts.name } }, incomingContext(req, ctx.traceparent));
        try {
          const out = await otelContext.with(trace.setSpan(otelContext.active(), span), () => internal.handler(ctx, url));
          span.setAttribute('http.response.status_code', out.status);
          sendJson(res, out.status, out.body);
          endSpan(span);
        } catch (err) {
          endSpan(span, err);
          throw err;
        }
      } else if (url.pathname === '/graphql' || url.pathname === '/') {
        route = '/graphql';
        await handleGraphQL(req, res, url);
      } else {
        route = 'other';
        sendJson(res, 404, { error: 'not found' });
      }
    } catch (err) {
      logger.error({ err }, 'unhandled error in HTTP handler');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    } finally {
      metrics.httpRequests.observe({ route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
  http.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${opts.host}:${port}/graphql`;
  logger.info({ url }, `${opts.name} subgraph listening`);
  let stopped = false;
  return {
    url,
    port,
    metrics,
    http,
    async stop() {
      if (stopped) return;
      stopped = true;
      // stop accepting, let in-flight requests finish (2 s at most), then drop kept-alive sockets
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
        setTimeout(() => http.closeAllConnections(), 2000).unref();
      });
      await apollo.stop();
    },
  };
}

/** Request ids: reuse the caller's when it sent one we can log safely, else make one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && /^[\w.:-]{1,64}$/.test(v) ? v : randomUUID();
}

export { GraphQLError };

/** What a started subgraph hands back to `npm start` and to tests. */
export interface RunningService {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Runs a service as the main module: starts it, and on SIGINT/SIGTERM stops it gracefully
 * (stop accepting, finish in-flight requests, close DB/NATS) before exiting.
 */
export function runMain(start: () => Promise<RunningService>): void {
  // the process's tracer provider (a no-op when the preload already started it; see telemetry.ts)
  startTelemetry({ serviceName: serviceNameOf(process.argv[1]), instrument: true });
  start().then(
    (svc) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        svc.stop().then(() => process.exit(0), (err) => { console.error(`${svc.name}: error during ${signal} shutdown`, err); process.exit(1); });
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

/** True when this module is the process entry point (`tsx src/index.ts`). */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return importMetaUrl === new URL(`file://${entry.startsWith('/') ? '' : process.cwd() + '/'}${entry}`).href;
}
