import type { Committer, EventMeta } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { DailyFigures, ProductSignal } from './figures.ts';
import type { OrderView } from './order-view.ts';
import type { SlaPolicy, TicketCategory, TicketPriority, TicketRecord, TicketStatus } from './ticket.ts';

/** The reads support's use cases need; model/store.ts implements them (every one index-served). */
export interface SupportStore {
  ticket(id: string): Promise<TicketRecord | null>;
  orderView(orderId: string): Promise<OrderView | null>;
  /** a customer's tickets, newest first, after a (createdAt, id) position */
  customerTickets(customerId: string, page: { first: number; after?: TicketPosition; status?: TicketStatus }): Promise<TicketRecord[]>;
  /** the agents' queue, soonest SLA first, after a (slaDueAt, id) position */
  queue(filter: QueueFilter, page: { first: number; after?: TicketPosition }): Promise<TicketRecord[]>;
  /** tickets the sweep watches for this reason (an equality read: only live work matches) */
  watched(watch: 'SLA' | 'CLOSE'): Promise<TicketRecord[]>;
  figures(ids: string[]): Promise<DailyFigures[]>;
  flaggedProducts(limit: number): Promise<ProductSignal[]>;
}

export interface QueueFilter {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  assigneeId?: string;
  /** only tickets with (true) or without (false) a breached SLA */
  slaBreached?: boolean;
  /** only tickets nobody has taken */
  unassigned?: boolean;
}

/** A page boundary: the sort key and the id. */
export interface TicketPosition {
  at: string; // ISO date
  id: string;
}

/** Support's Prometheus metrics (see metrics.ts). */
export interface SupportMetrics {
  ticketOpened(category: TicketCategory, openedBy: string): void;
  slaBreached(priority: TicketPriority, category: TicketCategory): void;
  firstResponse(category: TicketCategory, seconds: number): void;
  resolution(category: TicketCategory, seconds: number): void;
  rating(category: TicketCategory, score: number): void;
  refund(outcome: 'requested' | 'succeeded' | 'rejected'): void;
  productFlagged(): void;
}

/** What the support use cases need; built once in index.ts. */
export interface SupportDeps {
  committer: Committer;
  store: SupportStore;
  logger: Logger;
  sla: SlaPolicy;
  /** distinct product tickets that flag a product */
  productFlagThreshold: number;
  metrics: SupportMetrics;
}

/** Who and what a command comes from, for the events it causes. */
export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}

export function eventMeta(aggregateId: string, cause: { correlationId?: string; causationId?: string | null; requestId?: string; traceparent?: string }): EventMeta {
  return {
    aggregateId,
    ...(cause.correlationId ?? cause.requestId ? { correlationId: cause.correlationId ?? cause.requestId } : {}),
    ...(cause.causationId ? { causationId: cause.causationId } : {}),
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
  };
}

/** The committer gave up after too many lost version races: the caller retries later. */
export class TicketContendedError extends Error {
  override name = 'TicketContendedError';
  constructor(id: string) {
    super(`${id}: too much contention; retry later`);
  }
}
