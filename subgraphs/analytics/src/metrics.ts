import { Counter, type Registry } from 'prom-client';
import type { AnalyticsMetrics } from './domain/deps.ts';

/**
 * Analytics' Prometheus counters. Each moves only when the counting script says the fact was
 * new, so summed over instances and redeliveries every fact is counted once.
 */
export function createAnalyticsMetrics(registry: Registry): AnalyticsMetrics {
  const interactions = new Counter({ name: 'analytics_interactions_total', help: 'Storefront interactions counted, by type', labelNames: ['type'], registers: [registry] });
  const addToCarts = new Counter({ name: 'analytics_add_to_carts_total', help: 'Cart lines added', registers: [registry] });
  const orders = new Counter({ name: 'analytics_orders_total', help: 'Orders confirmed', registers: [registry] });
  const revenue = new Counter({ name: 'analytics_revenue_minor_total', help: 'Confirmed orders’ totals in minor units, by currency (cancellations are not subtracted)', labelNames: ['currency'], registers: [registry] });
  const cancellations = new Counter({ name: 'analytics_orders_cancelled_total', help: 'Orders cancelled', registers: [registry] });
  const units = new Counter({ name: 'analytics_units_purchased_total', help: 'Units bought in confirmed orders', registers: [registry] });
  const reviews = new Counter({ name: 'analytics_reviews_total', help: 'Reviews written, by rating', labelNames: ['rating'], registers: [registry] });
  const duplicates = new Counter({ name: 'analytics_duplicate_facts_total', help: 'Facts seen again (replays, redeliveries) and not counted', labelNames: ['kind'], registers: [registry] });
  return {
    counted(m) {
      switch (m.kind) {
        case 'interaction':
          interactions.inc({ type: m.type });
          break;
        case 'add-to-cart':
          addToCarts.inc();
          break;
        case 'order':
          orders.inc();
          if (m.amount > 0) revenue.inc({ currency: m.currency }, m.amount);
          break;
        case 'cancellation':
          cancellations.inc();
          break;
        case 'purchase':
          units.inc(m.units);
          break;
        case 'review':
          reviews.inc({ rating: String(m.rating) });
          break;
      }
    },
    duplicate(m) {
      duplicates.inc({ kind: m.kind });
    },
  };
}
