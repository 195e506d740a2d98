import type { Versioned } from '@commerce/events';
import type { SystemNote } from './order-view.ts';

/**
 * Payment declines per customer, to notice a shopper who keeps failing to pay: the second order
 * cancelled for a declined payment within an hour escalates to a ticket on that order. Further
 * declines in the same hour are added to that ticket instead of opening more.
 *
 * One document per customer, changed by version commits. Each decline is recorded once (by
 * order id) together with the decision it led to, so a redelivered event finds its decision
 * instead of deciding again: two declines make one ticket, whatever the delivery order or count.
 */
export const DECLINES_COLLECTION = 'support_declines';
export const DECLINE_WINDOW_MS = 3600_000;
/** declines older than this are dropped from the document (it stays small) */
const KEEP_MS = 24 * 3600_000;

export interface Decline {
  orderId: string;
  at: Date;
  /** the order whose ticket this decline went to; null when it did not escalate */
  ticketOrderId: string | null;
}

export interface CustomerDeclines extends Versioned {
  _id: string; // customer id
  declines: Decline[];
  updatedAt: Date;
  version: number;
}

export type DeclineDecision = { next: CustomerDeclines | null; ticketOrderId: string | null };

/**
 * Records a decline (or finds it recorded) and says which order's ticket it belongs to, if any.
 * `next` is null when nothing changed.
 */
export function recordDecline(current: CustomerDeclines | null, customerId: string, orderId: string, at: Date, now: Date): DeclineDecision {
  const known = current?.declines.find((d) => d.orderId === orderId);
  if (known) return { next: null, ticketOrderId: known.ticketOrderId };
  const recent = (current?.declines ?? []).filter((d) => Math.abs(at.getTime() - d.at.getTime()) <= DECLINE_WINDOW_MS);
  let ticketOrderId: string | null = null;
  if (recent.length >= 1) {
    // an escalation within the hour takes this decline too; else this one escalates
    const escalated = recent.filter((d) => d.ticketOrderId).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    ticketOrderId = escalated?.ticketOrderId ?? orderId;
  }
  const declines = [...(current?.declines ?? []).filter((d) => now.getTime() - d.at.getTime() <= KEEP_MS), { orderId, at, ticketOrderId }];
  const next: CustomerDeclines = { _id: customerId, declines, updatedAt: now, version: (current?.version ?? 0) + 1 };
  return { next, ticketOrderId };
}

/** The note a decline adds to the ticket it escalated to. */
export function declineNote(orderId: string, ticketOrderId: string, reason: string | null): SystemNote {
  const why = reason === 'INSUFFICIENT_FUNDS' ? 'the card did not have enough funds' : reason === 'INVALID_TOKEN' ? 'the card details could not be used' : 'your card issuer refused the charge';
  const first = orderId === ticketOrderId;
  return {
    key: `declined:${orderId}`,
    category: 'PAYMENT',
    priority: 'HIGH',
    subject: `We could not take payment for order ${ticketOrderId}`,
    body: first
      ? `Your payment for order ${orderId} was declined (${why}), and it is the second declined payment within an hour. Nothing was charged. An agent can help you check your card or choose another way to pay.`
      : `Your payment for order ${orderId} was declined too (${why}). Nothing was charged.`,
  };
}
