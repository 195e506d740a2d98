import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per service process, with default process metrics and the shared HTTP/GraphQL ones. */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Histogram<'route' | 'status'>;
  graphqlOperations: Histogram<'operation' | 'type' | 'outcome'>;
  graphqlErrors: Counter<'code'>;
  /** keys per DataLoader batch, by loader (1 everywhere means batching is not working) */
  dataloaderBatchSize: Histogram<'loader'>;
}

/** Distinct operation names that get an `operation` label of their own, per process (router and subgraphs). */
export const DEFAULT_MAX_OPERATION_NAMES = 500;
/** Longer operation names are never labelled by name. */
export const MAX_OPERATION_NAME_LENGTH = 100;
/** The `operation` label of every name past the cap (and of over-long names). */
export const OTHER_OPERATION_LABEL = '__other__';

/**
 * The `operation` label of `graphql_operation_duration_seconds`. Operation names are client-chosen,
 * so they are bounded: the first `maxOperationNames` distinct names (at most
 * MAX_OPERATION_NAME_LENGTH characters each) get a label of their own, every later or longer name
 * shares `__other__`, and a missing name is `anonymous`. The router and every subgraph label with this.
 */
export function operationLabels(maxOperationNames: number = DEFAULT_MAX_OPERATION_NAMES): (name: string | null | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= maxOperationNames || name.length > MAX_OPERATION_NAME_LENGTH) return OTHER_OPERATION_LABEL;
    seen.add(name);
    return name;
  };
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    graphqlOperations: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors by extensions.code',
      labelNames: ['code'],
      registers: [registry],
    }),
    dataloaderBatchSize: new Histogram({
      name: 'dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 250],
      registers: [registry],
    }),
  };
}
