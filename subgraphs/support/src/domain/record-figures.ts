import { ProductFlagged } from '@commerce/events/contracts';
import { eventMeta, TicketContendedError, type SupportDeps } from './deps.ts';
import { applyFiguresFact, dayOf, FIGURES_COLLECTION, figuresId, PRODUCT_SIGNALS_COLLECTION, recordProductTicket, type DailyFigures, type FiguresFact, type ProductSignal } from './figures.ts';
import type { TicketCategory } from './ticket.ts';
import type { Cause } from './system-tickets.ts';

/** Adds a resolution or a rating to its day's figures; the metric moves only when it is new. */
export async function recordFigures(deps: SupportDeps, at: Date, category: TicketCategory, fact: FiguresFact): Promise<void> {
  const day = dayOf(at);
  const now = new Date();
  let before: DailyFigures | null = null;
  const r = await deps.committer.update<DailyFigures, null>(FIGURES_COLLECTION, figuresId(day, category), (cur) => {
    before = cur;
    const next = applyFiguresFact(cur, day, category, fact, now);
    return next ? { next, events: [] } : { done: null };
  });
  if (r.status === 'contended') throw new TicketContendedError(figuresId(day, category));
  if (r.status !== 'committed') return;
  const prior = before as DailyFigures | null;
  if (fact.kind === 'resolved') {
    if (prior?.resolution[fact.ticketId] === undefined) deps.metrics.resolution(category, fact.resolutionSeconds);
  } else if (prior?.ratings[fact.ticketId] === undefined) deps.metrics.rating(category, fact.score);
}

/** A product ticket counts toward flagging its product (once per ticket). */
export async function recordProductTicketFor(deps: SupportDeps, productId: string, ticketId: string, cause: Cause): Promise<void> {
  const now = new Date();
  const r = await deps.committer.update<ProductSignal, null>(PRODUCT_SIGNALS_COLLECTION, productId, (cur) => {
    const d = recordProductTicket(cur, productId, ticketId, deps.productFlagThreshold, now);
    if (!d.next) return { done: null };
    const events = d.flagged
      ? [ProductFlagged.create({ productId, ticketCount: d.next.ticketIds.length, flaggedAt: now.toISOString() }, eventMeta(productId, { correlationId: cause.correlationId, causationId: cause.id }))]
      : [];
    return { next: d.next, events };
  });
  if (r.status === 'contended') throw new TicketContendedError(productId);
  if (r.status === 'committed' && r.state.flaggedAt?.getTime() === now.getTime()) {
    deps.metrics.productFlagged();
    deps.logger.info({ productId, tickets: r.state.ticketIds.length }, 'product flagged by support tickets');
  }
}
