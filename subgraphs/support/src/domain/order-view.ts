import type { Versioned } from '@commerce/events';
import type { Money } from '@commerce/platform';
import type { TicketCategory, TicketPriority } from './ticket.ts';

/**
 * What support knows about an order, gathered from the other services' events (support never
 * reads their databases): whose it is, what happened to its payment and stock, and the refunds
 * asked for from tickets. It is the refund ledger too: a refund is admitted by a version commit
 * on this document, so concurrent requests from two agents cannot together exceed the capture.
 *
 * Events arrive on separate consumers in any order, so every fact is recorded on its own and the
 * rules (`systemTicketNeeds`) look at the whole view after each commit: whichever fact completes
 * a pattern triggers it, and the ticket's deterministic id keeps it to one.
 */
export const ORDER_VIEWS_COLLECTION = 'support_orders';

export type LedgerStatus = 'REQUESTED' | 'SUCCEEDED' | 'REJECTED';

export interface LedgerEntry {
  id: string;
  amount: Money;
  status: LedgerStatus;
  /** the ticket the refund was asked from; null for a refund support did not ask for (a cancellation) */
  ticketId: string | null;
  rejectionReason: string | null;
}

export interface OrderView extends Versioned {
  _id: string;
  customerId: string | null;
  productIds: string[];
  total: Money | null;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED' | null;
  cancellationReason: string | null;
  paymentAuthorized: boolean;
  captured: Money | null;
  declineReason: string | null;
  /** a reservation failed after the payment was authorized (a re-reservation after expiry) */
  stockFailed: boolean;
  deadLetters: Array<{ eventId: string; eventType: string; consumer: string }>;
  refunds: LedgerEntry[];
  updatedAt: Date;
  version: number;
}

export type OrderFact =
  | { kind: 'placed'; customerId: string; productIds: string[]; total: Money }
  | { kind: 'confirmed'; customerId: string }
  | { kind: 'cancelled'; customerId: string; reason: string }
  | { kind: 'payment-authorized' }
  | { kind: 'payment-declined'; reason: string }
  | { kind: 'payment-captured'; amount: Money }
  | { kind: 'refunded'; refundId: string; amount: Money }
  | { kind: 'refund-rejected'; refundId: string; reason: string }
  | { kind: 'stock-failed' }
  | { kind: 'dead-lettered'; eventId: string; eventType: string; consumer: string };

export function emptyView(orderId: string, now: Date): OrderView {
  return {
    _id: orderId,
    customerId: null,
    productIds: [],
    total: null,
    status: null,
    cancellationReason: null,
    paymentAuthorized: false,
    captured: null,
    declineReason: null,
    stockFailed: false,
    deadLetters: [],
    refunds: [],
    updatedAt: now,
    version: 0,
  };
}

/** The view with one more fact, or null when the fact is known already (redelivery). */
export function applyFact(current: OrderView | null, orderId: string, fact: OrderFact, now: Date): OrderView | null {
  const v = current ?? emptyView(orderId, now);
  const next = (changes: Partial<OrderView>): OrderView => ({ ...v, ...changes, updatedAt: now, version: v.version + 1 });
  switch (fact.kind) {
    case 'placed':
      if (v.total) return null;
      return next({ customerId: fact.customerId, productIds: fact.productIds, total: fact.total, status: v.status ?? 'PENDING' });
    case 'confirmed':
      if (v.status === 'CONFIRMED' || v.status === 'CANCELLED') return v.customerId ? null : next({ customerId: fact.customerId });
      return next({ customerId: fact.customerId, status: 'CONFIRMED', paymentAuthorized: true });
    case 'cancelled':
      if (v.status === 'CANCELLED') return null;
      return next({ customerId: fact.customerId, status: 'CANCELLED', cancellationReason: fact.reason });
    case 'payment-authorized':
      return v.paymentAuthorized ? null : next({ paymentAuthorized: true });
    case 'payment-declined':
      return v.declineReason ? null : next({ declineReason: fact.reason });
    case 'payment-captured':
      return v.captured ? null : next({ captured: fact.amount, paymentAuthorized: true });
    case 'refunded': {
      const entry = v.refunds.find((r) => r.id === fact.refundId);
      if (entry?.status === 'SUCCEEDED') return null;
      const refunds = entry
        ? v.refunds.map((r) => (r.id === fact.refundId ? { ...r, status: 'SUCCEEDED' as const, amount: fact.amount } : r))
        : [...v.refunds, { id: fact.refundId, amount: fact.amount, status: 'SUCCEEDED' as const, ticketId: null, rejectionReason: null }];
      return next({ refunds });
    }
    case 'refund-rejected': {
      const entry = v.refunds.find((r) => r.id === fact.refundId);
      if (!entry || entry.status !== 'REQUESTED') return null;
      return next({ refunds: v.refunds.map((r) => (r.id === fact.refundId ? { ...r, status: 'REJECTED' as const, rejectionReason: fact.reason } : r)) });
    }
    case 'stock-failed':
      return v.stockFailed ? null : next({ stockFailed: true });
    case 'dead-lettered':
      if (v.deadLetters.some((d) => d.eventId === fact.eventId && d.consumer === fact.consumer)) return null;
      return next({ deadLetters: [...v.deadLetters, { eventId: fact.eventId, eventType: fact.eventType, consumer: fact.consumer }].slice(-20) });
  }
}

/** Captured and not yet refunded or promised to a pending refund. */
export function refundable(v: OrderView): Money | null {
  if (!v.captured) return null;
  const held = v.refunds.filter((r) => r.status !== 'REJECTED').reduce((sum, r) => sum + r.amount.amount, 0);
  return { amount: Math.max(0, v.captured.amount - held), currencyCode: v.captured.currencyCode };
}

export type RefundAdmission = { next: OrderView; entry: LedgerEntry } | { existing: LedgerEntry } | { refused: { code: string; message: string } };

/**
 * Admits a refund against what was captured and not yet refunded or requested. The same refund
 * id again is the same request retried: answered with its entry, never admitted twice.
 */
export function admitRefund(v: OrderView | null, req: { refundId: string; ticketId: string; amount: Money }, now: Date): RefundAdmission {
  const existing = v?.refunds.find((r) => r.id === req.refundId);
  if (existing) return { existing };
  if (!v?.captured) return { refused: { code: 'NOT_CAPTURED', message: "This order's payment has not been captured; there is nothing to refund" } };
  if (req.amount.currencyCode !== v.captured.currencyCode) return { refused: { code: 'CURRENCY_MISMATCH', message: `Refunds of this order are in ${v.captured.currencyCode}` } };
  const left = refundable(v)!;
  if (req.amount.amount > left.amount) return { refused: { code: 'EXCEEDS_CAPTURED', message: `At most ${left.amount} (minor units) of this order can still be refunded` } };
  const entry: LedgerEntry = { id: req.refundId, amount: req.amount, status: 'REQUESTED', ticketId: req.ticketId, rejectionReason: null };
  return { next: { ...v, refunds: [...v.refunds, entry], updatedAt: now, version: v.version + 1 }, entry };
}

/** A note the platform adds to an order's ticket, in the shopper's terms; `key` makes it once. */
export interface SystemNote {
  key: string;
  category: TicketCategory;
  priority: TicketPriority;
  subject: string;
  body: string;
  /** detail for agents only (an internal note), never shown to the shopper */
  internalDetail?: string;
}

/**
 * What about this order needs a ticket now. Called after every fact; each note is added once
 * (by key), so calling it again is harmless. Payment declines are counted per customer
 * (`declines.ts`), not here.
 */
export function systemTicketNeeds(v: OrderView): SystemNote[] {
  if (!v.customerId) return []; // the order's customer is not known yet: its OrderPlaced will call again
  const notes: SystemNote[] = [];
  const order = `order ${v._id}`;
  if (v.status === 'CANCELLED' && v.cancellationReason === 'TIMEOUT') {
    notes.push({
      key: 'timeout',
      category: 'ORDER',
      priority: 'HIGH',
      subject: `Your ${order} did not go through`,
      body: `Your checkout for ${order} did not finish in time, so the order was cancelled. Any amount held on your card is released and nothing was charged. We have opened this ticket in case you need help placing it again.`,
    });
  }
  if (v.stockFailed && v.paymentAuthorized) {
    notes.push({
      key: 'stock-failed',
      category: 'ORDER',
      priority: 'URGENT',
      subject: `An item of your ${order} is no longer available`,
      body: `Your payment for ${order} went through, but we could not set aside every item afterwards. An agent will contact you about a replacement or a refund.`,
    });
  }
  for (const d of v.deadLetters) {
    notes.push({
      key: `dead-letter:${d.consumer}:${d.eventId}`,
      category: 'ORDER',
      priority: 'HIGH',
      subject: `We are looking into your ${order}`,
      body: `Part of the processing of ${order} is stuck on our side. Our team has been notified and will fix it; you do not need to do anything.`,
      internalDetail: `Dead letter: ${d.eventType} (event ${d.eventId}) parked by consumer ${d.consumer}. Replay it with \`npm run dead-letters\` once the cause is fixed.`,
    });
  }
  return notes;
}
