import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import type { CartRecord } from '../domain/cart.ts';

/**
 * `carts`: one document per cart, written only by the outbox committer (insert at version 1,
 * replace by `_id` after). Read by `_id` (DataLoader batches, the internal route).
 */
const moneySchema = new Schema({ amount: { type: Number, required: true }, currencyCode: { type: String, required: true } }, { _id: false });

const cartSchema = new Schema<CartRecord>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, default: null },
    lines: [
      new Schema(
        {
          id: { type: String, required: true },
          variantId: { type: String, required: true },
          productId: { type: String, required: true },
          sku: { type: String, required: true },
          quantity: { type: Number, required: true },
          priceAtAdd: { type: moneySchema, required: true },
          addedAt: { type: Date, required: true },
        },
        { _id: false },
      ),
    ],
    status: { type: String, enum: ['OPEN', 'CHECKED_OUT'], required: true },
    orderId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'carts', versionKey: false },
);
// a customer's carts (a "my carts" view or a cart merge on log-in would read by it)
cartSchema.index({ customerId: 1 });

export function registerCartModel(conn: Connection): Collection<CartRecord> {
  return conn.model<CartRecord>('Cart', cartSchema).collection as unknown as Collection<CartRecord>;
}
