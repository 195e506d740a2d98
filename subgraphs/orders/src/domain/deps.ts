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
  routerSecret: string;
  /** how checkouts end (metrics): by outcome and cancellation reason, and how long they took */
  sagaMetrics?: { outcomes: Counter<'outcome' | 'reason'>; duration: Histogram<'outcome'> };
}

export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}
