import { Counter, Histogram, type Registry } from 'prom-client';
import type { WebhooksMetrics } from './domain/deps.ts';

/** Webhooks' Prometheus metrics: attempts and their latency, deliveries by outcome, endpoints disabled. */
export function createWebhooksMetrics(registry: Registry): WebhooksMetrics {
  const attempts = new Histogram({ name: 'webhooks_attempt_seconds', help: 'HTTP attempts of webhook deliveries, by outcome', labelNames: ['outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const deliveries = new Counter({ name: 'webhooks_deliveries_total', help: 'Webhook deliveries that reached a final state, by outcome', labelNames: ['outcome'], registers: [registry] });
  const disabled = new Counter({ name: 'webhooks_endpoints_disabled_total', help: 'Webhook endpoints disabled after repeated failure', registers: [registry] });
  return {
    attempt: (outcome, seconds) => attempts.observe({ outcome }, seconds),
    delivery: (outcome) => deliveries.inc({ outcome }),
    disabled: () => disabled.inc(),
  };
}
