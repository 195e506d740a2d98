import { Counter, Histogram, type Registry } from 'prom-client';
import type { SupportMetrics } from './domain/deps.ts';

/**
 * Support's Prometheus metrics (the dashboard's support row). Times and scores are observed
 * once per ticket, when first recorded, by the instance that recorded it: summed over
 * instances they count every ticket once.
 */
export function createSupportMetrics(registry: Registry): SupportMetrics {
  const opened = new Counter({ name: 'support_tickets_opened_total', help: 'Tickets opened, by category and by whom', labelNames: ['category', 'opened_by'], registers: [registry] });
  const breaches = new Counter({ name: 'support_sla_breaches_total', help: 'Tickets not answered before their SLA due time', labelNames: ['priority', 'category'], registers: [registry] });
  const hours = [60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600, 7 * 24 * 3600];
  const firstResponse = new Histogram({ name: 'support_first_response_seconds', help: 'Time from opening to the first agent answer', labelNames: ['category'], buckets: hours, registers: [registry] });
  const resolution = new Histogram({ name: 'support_resolution_seconds', help: 'Time from opening to resolution', labelNames: ['category'], buckets: hours, registers: [registry] });
  const ratings = new Histogram({ name: 'support_satisfaction_score', help: 'Satisfaction ratings (1–5); sum/count is the average', labelNames: ['category'], buckets: [1, 2, 3, 4, 5], registers: [registry] });
  const refunds = new Counter({ name: 'support_refunds_total', help: 'Refunds from tickets, by outcome', labelNames: ['outcome'], registers: [registry] });
  const flagged = new Counter({ name: 'support_products_flagged_total', help: 'Products flagged by repeated product tickets', registers: [registry] });
  return {
    ticketOpened: (category, openedBy) => opened.inc({ category, opened_by: openedBy }),
    slaBreached: (priority, category) => breaches.inc({ priority, category }),
    firstResponse: (category, seconds) => firstResponse.observe({ category }, seconds),
    resolution: (category, seconds) => resolution.observe({ category }, seconds),
    rating: (category, score) => ratings.observe({ category }, score),
    refund: (outcome) => refunds.inc({ outcome }),
    productFlagged: () => flagged.inc(),
  };
}
