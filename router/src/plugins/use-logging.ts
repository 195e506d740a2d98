import { INVALID_TRACEID } from '@opentelemetry/api';
import type { Logger } from '@commerce/platform';
import type { RouterPlugin } from '../plugin.ts';

export interface LoggingOptions {
  logger: Logger;
}

/**
 * JSON logs (pino) with the request id and trace id on every line: the request context's logger
 * is a child bound to the request id, and the logger's mixin adds `trace_id` / `span_id` of the
 * active OpenTelemetry span (the router's request span, see http-server.ts), so anything logged
 * while handling the request (auth, errors, subgraph fetches) carries them. The request id
 * (`x-request-id`, reused when safe, else generated) and the trace (the client's `traceparent`,
 * continued when valid, else a new one) are sent to every subgraph and returned to the client as
 * `x-request-id` / `x-trace-id`.
 */
export function useLogging({ logger }: LoggingOptions): RouterPlugin {
  return {
    name: 'logging',

    onRequest(r) {
      const { requestId, span } = r.context;
      r.context.logger = logger.child({ requestId });
      r.responseHeaders['x-request-id'] = requestId;
      const traceId = span.spanContext().traceId;
      if (traceId !== INVALID_TRACEID) r.responseHeaders['x-trace-id'] = traceId;
    },

    onResponse(r, { status, early }) {
      const quiet = r.route === 'health' || r.route === 'metrics';
      const level = status >= 500 ? (quiet ? 'warn' : 'error') : quiet ? 'debug' : 'info';
      if (!r.context.logger.isLevelEnabled(level)) return;
      r.context.logger[level](
        {
          method: r.method,
          path: r.url.pathname,
          status,
          durationMs: Math.round(Number(process.hrtime.bigint() - r.startedAt) / 1e4) / 100,
          ...(r.context.operationName ? { operation: r.context.operationName } : {}),
          ...(r.context.user ? { userId: r.context.user.id } : {}),
          ...(early?.errorCodes ? { errors: early.errorCodes } : {}),
        },
        'request completed',
      );
    },

    onSubgraphFetch({ subgraph, context }) {
      const log = context?.logger ?? logger;
      if (!log.isLevelEnabled('debug')) return;
      const started = process.hrtime.bigint();
      return ({ error, errorCount }) => {
        const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
        if (error) log.warn({ subgraph, durationMs, err: error }, 'subgraph fetch failed');
        else log.debug({ subgraph, durationMs, errorCount }, 'subgraph fetch');
      };
    },

    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation(rc) {
            rc.contextValue.operationName = rc.operationName;
            // the request span is shared with the (per-operation copy of the) context
            if (rc.operationName) rc.contextValue.span.setAttribute('graphql.operation.name', rc.operationName);
          },
        };
      },
    },
  };
}
