import type { Money } from '@commerce/platform';

/**
 * The order aggregate, event-sourced: its state is the fold of its changes (`applyChange`), one
 * per version, stored append-only in `order_events` (unique `orders:<id>:<version>`), which is
 * also this service's outbox. Every decision below is pure: state + input → change (or nothing).
 */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';
export type CancellationReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'CUSTOMER_REQUEST' | 'TIMEOUT';

export interface OrderLine {
  productId: string;
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderState {
  _id: string;
  version: number;
  customerId: string;
  cartId: string;
  idempotencyKey: string;
  status: OrderStatus;
  cancellationReason: CancellationReason | null;
  lines: OrderLine[];
  total: Money;
  shippingAddress: ShippingAddress;
  /** held only until payment is requested; a provider token, never card data */
  paymentToken: string | null;
  stockReserved: boolean;
  paymentRequested: boolean;
  paymentAuthorized: boolean;
  placedAt: Date;
  updatedAt: Date;
}

export type OrderChange =
  | { type: 'OrderPlaced'; at: string; data: { customerId: string; cartId: string; idempotencyKey: string; lines: OrderLine[]; total: Money; shippingAddress: ShippingAddress; paymentToken: string } }
  | { type: 'StockReserved'; at: string; data: { reservationId: string } }
  | { type: 'OrderConfirmed'; at: string; data: { paymentId: string } }
  | { type: 'OrderCancelled'; at: string; data: { reason: CancellationReason; wasConfirmed: boolean } };

/** State after one change. The first change must be OrderPlaced. */
export function applyChange(state: OrderState | null, change: OrderChange, orderId: string): OrderState {
  const at = new Date(change.at);
  if (change.type === 'OrderPlaced') {
    if (state) throw new Error(`order ${orderId} placed twice`);
    return {
      _id: orderId,
      version: 1,
      customerId: change.data.customerId,
      cartId: change.data.cartId,
      idempotencyKey: change.data.idempotencyKey,
      status: 'PENDING',
      cancellationReason: null,
      lines: change.data.lines,
      total: change.data.total,
      shippingAddress: change.data.shippingAddress,
      paymentToken: change.data.paymentToken,
      stockReserved: false,
      paymentRequested: false,
      paymentAuthorized: false,
      placedAt: at,
      updatedAt: at,
    };
  }
  if (!state) throw new Error(`order ${orderId}: ${change.type} before OrderPlaced`);
  const next: OrderState = { ...state, version: state.version + 1, updatedAt: at };
  switch (change.type) {
    case 'StockReserved':
      // the saga asks for payment in the same commit: the token leaves the order's state
      return { ...next, stockReserved: true, paymentRequested: true, paymentToken: null };
    case 'OrderConfirmed':
      return { ...next, status: 'CONFIRMED', paymentAuthorized: true };
    case 'OrderCancelled':
      return { ...next, status: 'CANCELLED', cancellationReason: change.data.reason, paymentToken: null };
  }
}

/** Folds a whole stream (ordered by version) into the current state. */
export function foldOrder(orderId: string, changes: OrderChange[]): OrderState | null {
  let state: OrderState | null = null;
  for (const c of changes) state = applyChange(state, c, orderId);
  return state;
}

export const isTerminal = (s: OrderState) => s.status === 'CANCELLED';

/** Orders are cancellable until they are cancelled (a confirmed order is refunded). */
export function canCancel(s: OrderState): boolean {
  return s.status === 'PENDING' || s.status === 'CONFIRMED';
}

export function sumLines(lines: OrderLine[]): Money {
  const currencyCode = lines[0]?.unitPrice.currencyCode ?? 'USD';
  return { amount: lines.reduce((t, l) => t + l.unitPrice.amount * l.quantity, 0), currencyCode };
}
