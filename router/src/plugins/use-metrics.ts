import { Gauge, Histogram } from 'prom-client';
import { createMetrics, DEFAULT_MAX_OPERATION_NAMES, operationLabels, type ServiceMetrics } from '@commerce/platform';
import type { RouterPlugin } from '../plugin.ts';

export interface RouterMetrics extends ServiceMetrics {
  subgraphFetches: Histogram<'subgraph' | 'outcome'>;
}

/**
 * The platform's service metrics (HTTP latency, GraphQL operation latency per operation name,
 * errors by code) plus subgraph fetch latency per subgraph. `socketStats`, when given, exports the
 * keep-alive pool to the subgraphs as gauges.
 */
export function createRouterMetrics(socketStats?: () => { sockets: number; idle: number; queued: number }): RouterMetrics {
  const base = createMetrics('router');
  const subgraphFetches = new Histogram({
    name: 'router_subgraph_fetch_duration_seconds',
    help: 'Latency of fetches from the router to each subgraph, by outcome (ok, graphql_errors, failed)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [base.registry],
  });
  if (socketStats) {
    new Gauge({
      name: 'router_subgraph_sockets',
      help: 'Keep-alive sockets to subgraphs, by state (active, idle, queued requests)',
      labelNames: ['state'],
      registers: [base.registry],
      collect() {
        const s = socketStats();
        this.set({ state: 'active' }, s.sockets);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'queued' }, s.queued);
      },
    });
  }
  return { ...base, subgraphFetches };
}

export interface MetricsOptions {
  metrics: RouterMetrics;
  /** distinct operation names labelled before they are grouped as `__other__` (default 500; see operationLabels) */
  maxOperationNames?: number;
}

export function useMetrics({ metrics, maxOperationNames = DEFAULT_MAX_OPERATION_NAMES }: MetricsOptions): RouterPlugin {
  const label = operationLabels(maxOperationNames);
  return {
    name: 'metrics',

    onResponse(r, { status, early }) {
      metrics.httpRequests.observe({ route: r.route, status: String(status) }, Number(process.hrtime.bigint() - r.startedAt) / 1e9);
      for (const code of early?.errorCodes ?? []) metrics.graphqlErrors.inc({ code });
    },

    onSubgraphFetch({ subgraph }) {
      const end = metrics.subgraphFetches.startTimer({ subgraph });
      return ({ error, errorCount }) => end({ outcome: error ? 'failed' : errorCount ? 'graphql_errors' : 'ok' });
    },

    apollo: {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(rc) {
            const body = rc.response.body;
            const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
            for (const e of errors ?? []) metrics.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
            metrics.graphqlOperations.observe(
              { operation: label(rc.operationName), type: rc.operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' },
              Number(process.hrtime.bigint() - started) / 1e9,
            );
          },
        };
      },
    },
  };
}
