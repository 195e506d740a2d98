import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RecommendationsMetrics } from './domain/deps.ts';
import type { Recommender } from './domain/recommender.ts';

/**
 * Recommendations' Prometheus metrics: lists served by slot and strategy (the bandit's traffic
 * split as it happens), events applied to the model, how far behind the stream the model is,
 * and snapshot sizes and times. Per instance (each applies every event: do not sum
 * `recommendations_events_applied_total` over instances to count events).
 */
export function createRecommendationsMetrics(registry: Registry, recommender: () => Recommender | null): RecommendationsMetrics {
  const served = new Counter({ name: 'recommendations_served_total', help: 'Recommendation lists served, by slot and the strategy that produced the list', labelNames: ['slot', 'strategy'], registers: [registry] });
  const applied = new Counter({ name: 'recommendations_events_applied_total', help: 'Events applied to this instance\'s model, by type', labelNames: ['type'], registers: [registry] });
  new Gauge({
    name: 'recommendations_model_lag_seconds',
    help: 'How far behind the event stream the model is: 0 when caught up, else the age of the last applied message',
    registers: [registry],
    collect() {
      const r = recommender();
      this.set(r ? r.lagMs(Date.now()) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'recommendations_model_last_applied_sequence',
    help: 'The last stream sequence applied to the model',
    registers: [registry],
    collect() {
      this.set(recommender()?.lastAppliedSequence ?? 0);
    },
  });
  const snapshotBytes = new Gauge({ name: 'recommendations_snapshot_bytes', help: 'Size of the last snapshot written (gzipped JSON)', registers: [registry] });
  const snapshotSeconds = new Histogram({ name: 'recommendations_snapshot_seconds', help: 'Time to serialize and store a snapshot', buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] });
  return {
    served: (slot, strategy) => served.inc({ slot, strategy }),
    eventsApplied: (type) => applied.inc({ type }),
    snapshotWritten: (bytes, ms) => {
      snapshotBytes.set(bytes);
      snapshotSeconds.observe(ms / 1000);
    },
  };
}
