import type { Committer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
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
}

export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}
