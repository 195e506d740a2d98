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
