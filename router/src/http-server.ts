import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { context as otelContext, INVALID_SPAN_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { contextFromHeaders, endSpan, platformTracer, requestIdFrom, type Logger } from '@commerce/platform';
import type { GraphQLParams, RouteName, RouterContext, RouterRequest } from './context.ts';
import { graphqlErrorResponse, type EarlyResponse, type ResponseInfo, type RouterPlugin } from './plugin.ts';
import { readBodyLimited } from './plugins/use-request-limits.ts';

export interface HealthReport {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface RouterHandlerOptions {
  apollo: ApolloServer<RouterContext>;
  plugins: RouterPlugin[];
  logger: Logger;
  /** development: `GET /` leads to the Sandbox served at `GET /graphql` */
  landingPage: boolean;
  /** read limit when no plugin read the body (the request-limits plugin normally does) */
  fallbackMaxBodyBytes: number;
  metrics: () => Promise<{ contentType: string; body: string }>;
  live: () => HealthReport;
  ready: () => Promise<HealthReport>;
  /** true once shutdown began: responses close their connection */
  stopping: () => boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function routeOf(pathname: string): RouteName {
  switch (pathname) {
    case '/graphql':
      return 'graphql';
    case '/':
      return 'landing';
    case '/health':
    case '/health/live':
    case '/health/ready':
      return 'health';
    case '/metrics':
      return 'metrics';
    default:
      return 'not_found';
  }
}

function isJsonContentType(value: string | undefined): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (type !== undefined && type.startsWith('application/') && type.endsWith('+json'));
}

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function paramsOf(method: string, url: URL, body: unknown): GraphQLParams {
  if (method === 'GET') {
    let extensions: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(url.searchParams.get('extensions') ?? 'null');
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) extensions = parsed as Record<string, unknown>;
    } catch {
      // Apollo answers malformed extensions itself
    }
    return { query: url.searchParams.get('query') ?? undefined, operationName: url.searchParams.get('operationName') ?? undefined, extensions };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  return {
    query: typeof b.query === 'string' ? b.query : undefined,
    operationName: typeof b.operationName === 'string' ? b.operationName : undefined,
    extensions: b.extensions !== null && typeof b.extensions === 'object' ? (b.extensions as Record<string, unknown>) : undefined,
  };
}

/**
 * The router's HTTP surface on node:http: `/graphql` (POST, GET for queries), `/health`,
 * `/health/ready`, `/metrics`, and in development the Sandbox. Plugins see every request
 * (`onRequest`, `onResponse`) and every GraphQL request before Apollo does (`onParams`).
 */
export function createRouterHandler(opts: RouterHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const onRequest = opts.plugins.filter((p) => p.onRequest);
  const onParams = opts.plugins.filter((p) => p.onParams);
  const onResponse = opts.plugins.filter((p) => p.onResponse);

  const send = (r: RouterRequest, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    const all: Record<string, string | number> = { ...r.responseHeaders, ...headers };
    if (opts.stopping()) all.connection = 'close';
    if (status !== 204 && status !== 304) all['content-length'] = Buffer.byteLength(body);
    res.writeHead(status, all);
    res.end(r.method === 'HEAD' ? undefined : body);
  };
  const sendJson = (r: RouterRequest, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(r, res, status, JSON.stringify(body), { 'content-type': JSON_TYPE, ...headers });
  const sendEarly = (r: RouterRequest, res: ServerResponse, early: EarlyResponse): ResponseInfo => {
    send(r, res, early.status, early.body, early.headers);
    return { status: early.status, early };
  };

  async function handleGraphQL(r: RouterRequest, res: ServerResponse): Promise<ResponseInfo | undefined> {
    const { req, method } = r;
    if (method === 'OPTIONS') {
      send(r, res, 204, '', { allow: 'GET, POST, OPTIONS' });
      return;
    }
    if (method !== 'GET' && method !== 'POST') {
      return sendEarly(r, res, graphqlErrorResponse(405, 'BAD_REQUEST', `${method} is not supported on /graphql`, { allow: 'GET, POST, OPTIONS' }));
    }
    let body: unknown;
    if (method === 'POST') {
      if (r.body === undefined) {
        const read = await readBodyLimited(req, opts.fallbackMaxBodyBytes);
        if (!read.ok) return sendEarly(r, res, graphqlErrorResponse(413, 'BAD_REQUEST', `Request body is larger than ${opts.fallbackMaxBodyBytes} bytes`, { connection: 'close' }));
        r.body = read.body;
      }
      if (isJsonContentType(req.headers['content-type'])) {
        try {
          body = r.body === '' ? undefined : JSON.parse(r.body);
        } catch {
          return sendEarly(r, res, graphqlErrorResponse(400, 'BAD_REQUEST', 'Request body is not valid JSON'));
        }
      } else {
        body = r.body; // Apollo answers: CSRF prevention or "invalid Content-Type"
      }
    }
    const params = paramsOf(method, r.url, body);
    const clientQuery = params.query;
    for (const p of onParams) {
      const early = await p.onParams!(r, params);
      if (early) return sendEarly(r, res, early);
    }
    // a plugin may supply the query text (a partner's safelisted operation named by its id)
    let search = r.url.search;
    if (params.query !== clientQuery && params.query !== undefined) {
      if (method === 'POST') body = { ...(body as Record<string, unknown>), query: params.query };
      else {
        const url = new URL(r.url);
        url.searchParams.set('query', params.query);
        search = url.search;
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const result = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: async () => r.context,
    });
    const out: Record<string, string> = { ...r.responseHeaders };
    for (const [k, v] of result.headers) out[k] = v;
    if (opts.stopping()) out.connection = 'close';
    if (result.body.kind === 'complete') {
      out['content-length'] = String(Buffer.byteLength(result.body.string));
      res.writeHead(result.status ?? 200, out);
      res.end(result.body.string);
    } else {
      res.writeHead(result.status ?? 200, out);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
    return;
  }

  /**
   * One OpenTelemetry SERVER span per request: a child of the client's W3C `traceparent` when it
   * sent a valid one (else a new trace), the parent of every subgraph fetch; everything the
   * request does runs in its context (logs carry its trace_id / span_id).
   */
  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://router.invalid');
    const method = req.method ?? 'GET';
    const route = routeOf(url.pathname);
    // probes and scrapes are not traced (a non-recording span without ids)
    const span = route === 'health' || route === 'metrics' ? trace.wrapSpanContext(INVALID_SPAN_CONTEXT) : platformTracer.startSpan(
      `${method} ${route === 'graphql' ? '/graphql' : route === 'not_found' ? 'unknown' : url.pathname}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': url.pathname, 'commerce.service': 'router' } },
      req.headers.traceparent ? contextFromHeaders(req.headers) : otelContext.active(),
    );
    const spanContext = trace.setSpan(otelContext.active(), span);
    const r: RouterRequest = {
      req,
      url,
      method,
      route,
      startedAt: process.hrtime.bigint(),
      context: { requestId: requestIdFrom(req.headers['x-request-id']), span, user: null, logger: opts.logger },
      responseHeaders: {},
    };
    try {
      await otelContext.with(spanContext, () => serve(r, req, res));
    } finally {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: 2 });
      endSpan(span);
    }
  };

  async function serve(r: RouterRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = r.url;
    let info: ResponseInfo | undefined;
    try {
      for (const p of onRequest) {
        const early = await p.onRequest!(r);
        if (early) {
          info = sendEarly(r, res, early);
          return;
        }
      }
      const readOnly = r.method === 'GET' || r.method === 'HEAD';
      switch (r.route) {
        case 'graphql':
          info = await handleGraphQL(r, res);
          return;
        case 'landing':
          if (opts.landingPage && readOnly && acceptsHtml(req)) send(r, res, 302, '', { location: '/graphql' });
          else sendJson(r, res, 404, { error: 'not found', graphql: '/graphql' });
          return;
        case 'health': {
          if (!readOnly) return sendJson(r, res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
          const report = url.pathname === '/health/ready' ? await opts.ready() : opts.live();
          sendJson(r, res, report.ok ? 200 : 503, report.body, { 'cache-control': 'no-store' });
          return;
        }
        case 'metrics': {
          if (!readOnly) return sendJson(r, res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
          const m = await opts.metrics();
          send(r, res, 200, m.body, { 'content-type': m.contentType, 'cache-control': 'no-store' });
          return;
        }
        default:
          sendJson(r, res, 404, { error: 'not found' });
      }
    } catch (err) {
      r.context.logger.error({ err }, 'unhandled error in router HTTP handler');
      if (!res.headersSent) sendJson(r, res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    } finally {
      const final: ResponseInfo = { ...info, status: res.statusCode };
      for (const p of onResponse) {
        try {
          p.onResponse!(r, final);
        } catch (err) {
          r.context.logger.error({ err, plugin: p.name }, 'onResponse hook failed');
        }
      }
    }
  }
}
