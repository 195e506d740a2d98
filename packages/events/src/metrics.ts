import { Counter, Gauge, type Registry } from 'prom-client';

export interface EventMetrics {
  published: Counter<'type'>;
  consumed: Counter<'consumer' | 'type' | 'outcome'>;
  deadLettered: Counter<'consumer' | 'type'>;
  outboxPending: Gauge;
  consumerLag: Gauge<'consumer'>;
}

const byRegistry = new WeakMap<Registry, EventMetrics>();

/** Event metrics live in the service's own registry, created once per registry. */
export function eventMetrics(registry: Registry): EventMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    m = {
      published: new Counter({ name: 'events_published_total', help: 'Events published to JetStream', labelNames: ['type'], registers: [registry] }),
      consumed: new Counter({ name: 'events_consumed_total', help: 'Events handled by consumers, by outcome (ok, duplicate, retry, dead-letter)', labelNames: ['consumer', 'type', 'outcome'], registers: [registry] }),
      deadLettered: new Counter({ name: 'events_dead_lettered_total', help: 'Events parked as dead letters after repeated failures', labelNames: ['consumer', 'type'], registers: [registry] }),
      outboxPending: new Gauge({ name: 'outbox_pending_entries', help: 'Outbox entries not yet published (last sweep)', registers: [registry] }),
      consumerLag: new Gauge({ name: 'events_consumer_pending', help: 'Messages pending for a durable consumer (lag)', labelNames: ['consumer'], registers: [registry] }),
    };
    byRegistry.set(registry, m);
  }
  return m;
}
