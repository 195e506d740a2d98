import { createHash } from 'node:crypto';
import type { CounterField, TopKind, UniqueKind } from './counts.ts';
import { REVENUE_FIELD_PREFIX } from './counts.ts';

/**
 * A fact is one thing that happened and is counted once: its de-duplication key, when it
 * happened (which buckets it lands in), what it increments, whose distinct counts it joins and
 * which products it ranks. Built here from events (pure); counted in Redis by one script per
 * message (model/redis-buckets.ts), which reports which facts were new.
 *
 * Keys: a client event is `s:<hash of sessionId and eventId>` (the client's own ids: a batch
 * sent twice, or its event republished under a new envelope id, counts once; hashed, so no
 * session id sits in Redis); a server event is `e:<envelope id>`, its order lines
 * `e:<envelope id>:<line index>`.
 */
export interface Fact {
  key: string;
  at: number;
  inc: Array<[field: CounterField | `${typeof REVENUE_FIELD_PREFIX}${string}`, n: number]>;
  uniques: Array<[kind: UniqueKind, subject: string]>;
  top: Array<[kind: TopKind, productId: string, n: number]>;
  /** what the Prometheus counters record when the fact is new */
  metric: FactMetric;
}

export type FactMetric =
  | { kind: 'interaction'; type: string }
  | { kind: 'add-to-cart' }
  | { kind: 'order'; currency: string; amount: number }
  | { kind: 'cancellation' }
  | { kind: 'purchase'; units: number }
  | { kind: 'review'; rating: number };

export function clientFactKey(sessionId: string, eventId: string): string {
  return `s:${createHash('sha256').update(`${sessionId}\n${eventId}`).digest('base64url').slice(0, 32)}`;
}

/** Where the stream sequences of a session's interaction messages are kept (hashed: no session id in Redis). */
export function sessionMessagesKey(sessionId: string): string {
  return `q:${createHash('sha256').update(sessionId).digest('base64url').slice(0, 32)}`;
}

export function serverFactKey(envelopeId: string, line?: number): string {
  return line === undefined ? `e:${envelopeId}` : `e:${envelopeId}:${line}`;
}

/** The subject of distinct counts: the customer when known, else the session (or cart). */
export const sessionSubject = (customerId: string | null, sessionId: string): string => customerId ?? `session:${sessionId}`;
export const cartSubject = (customerId: string | null, cartId: string): string => customerId ?? `cart:${cartId}`;

export interface RecordedInteraction {
  eventId: string;
  type: string;
  productId: string | null;
  productIds: string[];
  occurredAt: string;
}

/** interactions-recorded: one fact per interaction. */
export function interactionFacts(batch: { sessionId: string; customerId: string | null; interactions: readonly RecordedInteraction[] }): Fact[] {
  const subject = sessionSubject(batch.customerId, batch.sessionId);
  return batch.interactions.map((it) => {
    const fact: Fact = { key: clientFactKey(batch.sessionId, it.eventId), at: Date.parse(it.occurredAt), inc: [], uniques: [], top: [], metric: { kind: 'interaction', type: it.type } };
    switch (it.type) {
      case 'PRODUCT_VIEWED':
        fact.inc.push(['views', 1]);
        fact.uniques.push(['v', subject]);
        if (it.productId) fact.top.push(['v', it.productId, 1]);
        break;
      case 'SEARCH_PERFORMED':
        fact.inc.push(['searches', 1]);
        break;
      case 'RECOMMENDATION_SHOWN':
        fact.inc.push(['recImpressions', 1]);
        break;
      case 'RECOMMENDATION_CLICKED':
        fact.inc.push(['recClicks', 1]);
        break;
    }
    return fact;
  });
}

/** cart-line-added: one add-to-cart (whatever the quantity). */
export function cartLineFacts(envelopeId: string, d: { cartId: string; customerId: string | null; productId: string; addedAt: string }): Fact[] {
  return [
    {
      key: serverFactKey(envelopeId),
      at: Date.parse(d.addedAt),
      inc: [['addToCarts', 1]],
      uniques: [['c', cartSubject(d.customerId, d.cartId)]],
      top: [['c', d.productId, 1]],
      metric: { kind: 'add-to-cart' },
    },
  ];
}

/** order-confirmed: the order (count, revenue, the buyer) and each line (units per product). */
export function orderConfirmedFacts(
  envelopeId: string,
  d: { customerId: string; total: { amount: number; currencyCode: string }; lines: ReadonlyArray<{ productId: string; quantity: number }>; confirmedAt: string },
): Fact[] {
  const at = Date.parse(d.confirmedAt);
  const order: Fact = {
    key: serverFactKey(envelopeId),
    at,
    inc: [
      ['orders', 1],
      [`${REVENUE_FIELD_PREFIX}${d.total.currencyCode}`, d.total.amount],
    ],
    uniques: [['o', d.customerId]],
    top: [],
    metric: { kind: 'order', currency: d.total.currencyCode, amount: d.total.amount },
  };
  const lines: Fact[] = d.lines.map((l, i) => ({ key: serverFactKey(envelopeId, i), at, inc: [['purchases', l.quantity]], uniques: [], top: [['p', l.productId, l.quantity]], metric: { kind: 'purchase', units: l.quantity } }));
  return [order, ...lines];
}

/** order-cancelled: counted as a cancellation; the revenue of a confirmed order stays counted. */
export function orderCancelledFacts(envelopeId: string, d: { cancelledAt: string }): Fact[] {
  return [{ key: serverFactKey(envelopeId), at: Date.parse(d.cancelledAt), inc: [['cancelled', 1]], uniques: [], top: [], metric: { kind: 'cancellation' } }];
}

/** review-added: one review written (a customer who bought the product said what they think). */
export function reviewAddedFacts(envelopeId: string, d: { rating: number; createdAt: string }): Fact[] {
  return [{ key: serverFactKey(envelopeId), at: Date.parse(d.createdAt), inc: [['reviews', 1]], uniques: [], top: [], metric: { kind: 'review', rating: d.rating } }];
}
