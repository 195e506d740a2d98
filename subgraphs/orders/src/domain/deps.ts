import type { Committer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { Counter, Histogram } from 'prom-client';
import type { Db } from 'mongodb';
import type { OrderModels } from '../model/order.model.ts';

/** The order stream collection: this service's outbox and its event store (kept forever). */
export const ORDER_EVENTS = 'order_events';

export interface OrdersDeps {
  db: Db;
  models: OrderModels;
  committer: Committer;
  logger: Logger;
  cartUrl: string;
  /** where payment tokens wait for payments, outside every event and document (claim check) */
  paymentTokens: PaymentTokens;
  /**
   * how checkouts end (metrics): by outcome and cancellation reason, and how long they took; and
   * every `payment-authorized` refused for not matching its order, by what did not match
   */
  sagaMetrics?: { outcomes: Counter<'outcome' | 'reason'>; duration: Histogram<'outcome'>; paymentMismatches?: Counter<'reason'> };
}

/**
 * The payment-token store as orders uses it (`payment-token.ts` in @commerce/events; Redis in
 * index.ts): `keep` stores an order's token for about as long as its checkout may take and
 * returns the reference the order and `payment-requested` carry instead; `forget` deletes it.
 */
export interface PaymentTokens {
  keep(orderId: string, token: string): Promise<string>;
  forget(orderId: string, ref: string): Promise<void>;
}

export interface CommandMeta {
  requestId: string;
  /** the router context the request came with: forwarded to cart's internal route (callInternal) */
  routerToken?: string;
  traceparent?: string;
}
