import { Schema, type Connection, type Model } from 'mongoose';
import type { Money } from '@commerce/platform';

/**
 * Query-side read model (CQRS): one summary per order, built by the order projections from the
 * order event streams and rebuildable from them. `Customer.orders` reads only this collection.
 */
export interface OrderSummary {
  _id: string;
  customerId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  total: Money;
  createdAt: Date;
  version: number;
}

const orderSummarySchema = new Schema<OrderSummary>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    status: { type: String, required: true },
    total: { amount: { type: Number, required: true }, currencyCode: { type: String, required: true } },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'order_summaries', versionKey: false },
);
// Customer.orders: equality on customerId, newest first, id as the tie-break of the cursor.
orderSummarySchema.index({ customerId: 1, createdAt: -1, _id: -1 });

export function registerModels(conn: Connection): { OrderSummary: Model<OrderSummary> } {
  return { OrderSummary: conn.model<OrderSummary>('OrderSummary', orderSummarySchema) };
}
