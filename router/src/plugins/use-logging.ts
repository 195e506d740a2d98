import type { Logger } from '@commerce/platform';
import type { RouterPlugin } from '../plugin.ts';

export interface LoggingOptions {
  logger: Logger;
}

/**
 * JSON logs (pino) with the request id and trace id on every line: the request context's logger
 * is a child bound to both, so anything logged while handling the request (auth, errors, subgraph
 * fetches) carries them. The request id (`x-request-id`, reused when safe, else generated) and
 * the W3C trace (`traceparent`, accepted when valid, else started) come from trace-context.ts;
 * both are sent to every subgraph and returned to the client as `x-request-id` / `x-trace-id`.
 */
export function useLogging({ logger }: LoggingOptions): RouterPlugin {
  return {
    name: 'logging',

    onRequest(r) {
      const { requestId, trace } = r.context;
      r.context.logger = logger.child({ requestId, traceId: trace.traceId, spanId: trace.spanId });
      r.responseHeaders['x-request-id'] = requestId;
      r.responseHeaders['x-trace-id'] = trace.traceId;
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
          ...(r.context.trace.parentSpanId ? { parentSpanId: r.context.trace.parentSpanId } : {}),
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
          },
        };
      },
    },
  };
}
