import { Schema, type Connection, type Model } from 'mongoose';
import type { Money } from '@commerce/platform';
import { refundedTotalOf, refundsOf, type CancellationReason, type OrderLine, type OrderRefund, type OrderState, type OrderStatus } from '../domain/order.ts';

/**
 * Query side (CQRS). `orders` holds each order's current state (the write model's snapshot; the
 * truth is the stream in `order_events`). `order_views` is the read model behind `order(id)` and
 * `Customer.orders`, written only by the serial projector and rebuildable from the streams.
 */
export interface OrderView {
  _id: string;
  customerId: string;
  status: OrderStatus;
  cancellationReason: CancellationReason | null;
  lines: OrderLine[];
  total: Money;
  /** absent on views projected before refunds existed (the resolvers read them as none) */
  refunds?: OrderRefund[];
  refundedTotal?: Money;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const money = { amount: { type: Number, required: true }, currencyCode: { type: String, required: true } };
const line = new Schema(
  { productId: String, variantId: String, sku: String, title: String, quantity: Number, unitPrice: money },
  { _id: false },
);

const orderViewSchema = new Schema<OrderView>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    status: { type: String, required: true },
    cancellationReason: { type: String, default: null },
    lines: [line],
    total: money,
    refunds: [new Schema({ id: String, amount: money, refundedAt: Date }, { _id: false })],
    refundedTotal: money,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'order_views', versionKey: false },
);
// Customer.orders: equality on customerId, newest first, id as the cursor's tie-break.
orderViewSchema.index({ customerId: 1, createdAt: -1, _id: -1 });

const orderStateSchema = new Schema<OrderState>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    customerId: String,
    status: String,
    placedAt: Date,
  },
  { collection: 'orders', versionKey: false, strict: false },
);
// the saga's timeout sweep: PENDING orders placed before a cutoff
orderStateSchema.index({ status: 1, placedAt: 1 });

export interface OrderModels {
  OrderView: Model<OrderView>;
  Order: Model<OrderState>;
}

export function registerModels(conn: Connection): OrderModels {
  return {
    OrderView: conn.model<OrderView>('OrderView', orderViewSchema),
    Order: conn.model<OrderState>('Order', orderStateSchema),
  };
}

export function viewOf(state: OrderState): OrderView {
  return {
    _id: state._id,
    customerId: state.customerId,
    status: state.status,
    cancellationReason: state.cancellationReason,
    lines: state.lines,
    total: state.total,
    refunds: refundsOf(state),
    refundedTotal: refundedTotalOf(state),
    createdAt: new Date(state.placedAt),
    updatedAt: new Date(state.updatedAt),
    version: state.version,
  };
}
