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

/** Money paid back on the order, as payments reported it (`payment-refunded`). */
export interface OrderRefund {
  /** the refund's id at payments (a support ticket's, or rf_cancel_<orderId> for the cancellation's) */
  id: string;
  amount: Money;
  /** when the order recorded it */
  refundedAt: Date;
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
  /**
   * The claim check of the payment token (`payment-token.ts` in @commerce/events): the token itself
   * is kept outside the order, in the short-lived payment-token store. Held until payment is
   * requested (then payments has it) or the order is cancelled.
   */
  paymentTokenRef: string | null;
  /**
   * Only in orders placed before the claim check existed, whose OrderPlaced carried the token
   * itself: the saga moves it into the payment-token store when it asks for payment.
   */
  paymentToken?: string | null;
  stockReserved: boolean;
  paymentRequested: boolean;
  paymentAuthorized: boolean;
  /** refunds in the order they were recorded; absent on snapshots stored before refunds existed (refundsOf) */
  refunds?: OrderRefund[];
  /** sum of `refunds`; absent like them (refundedTotalOf) */
  refundedTotal?: Money;
  placedAt: Date;
  updatedAt: Date;
}

export type OrderChange =
  | {
      type: 'OrderPlaced';
      at: string;
      // `paymentToken`: only in streams written before the claim check (`paymentTokenRef`); never written now
      data: { customerId: string; cartId: string; idempotencyKey: string; lines: OrderLine[]; total: Money; shippingAddress: ShippingAddress; paymentTokenRef?: string; paymentToken?: string };
    }
  | { type: 'StockReserved'; at: string; data: { reservationId: string } }
  | { type: 'OrderConfirmed'; at: string; data: { paymentId: string } }
  | { type: 'OrderCancelled'; at: string; data: { reason: CancellationReason; wasConfirmed: boolean } }
  | { type: 'RefundRecorded'; at: string; data: { refundId: string; amount: Money } };

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
      paymentTokenRef: change.data.paymentTokenRef ?? null,
      ...(change.data.paymentToken ? { paymentToken: change.data.paymentToken } : {}),
      stockReserved: false,
      paymentRequested: false,
      paymentAuthorized: false,
      refunds: [],
      refundedTotal: { amount: 0, currencyCode: change.data.total.currencyCode },
      placedAt: at,
      updatedAt: at,
    };
  }
  if (!state) throw new Error(`order ${orderId}: ${change.type} before OrderPlaced`);
  const next: OrderState = { ...state, version: state.version + 1, updatedAt: at };
  switch (change.type) {
    case 'StockReserved':
      // the saga asks for payment in the same commit: the token's reference leaves the order's state
      return withoutToken({ ...next, stockReserved: true, paymentRequested: true });
    case 'OrderConfirmed':
      return { ...next, status: 'CONFIRMED', paymentAuthorized: true };
    case 'OrderCancelled':
      return withoutToken({ ...next, status: 'CANCELLED', cancellationReason: change.data.reason });
    case 'RefundRecorded': {
      const total = refundedTotalOf(state);
      return {
        ...next,
        refunds: [...refundsOf(state), { id: change.data.refundId, amount: change.data.amount, refundedAt: at }],
        refundedTotal: { amount: total.amount + change.data.amount.amount, currencyCode: total.currencyCode },
      };
    }
  }
}

/** The state without any hold on the payment token (its reference, or an old order's token). */
function withoutToken(s: OrderState): OrderState {
  const { paymentToken: _legacy, ...rest } = s;
  return { ...rest, paymentTokenRef: null };
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

export function refundsOf(s: Pick<OrderState, 'refunds'>): OrderRefund[] {
  return s.refunds ?? [];
}

export function refundedTotalOf(s: Pick<OrderState, 'refundedTotal' | 'total'>): Money {
  return s.refundedTotal ?? { amount: 0, currencyCode: s.total.currencyCode };
}

/**
 * The refund id a `payment-refunded` stands for. Events from before partial refunds carry none:
 * those were all the refund of a cancelled order, which payments now ids `rf_cancel_<orderId>`.
 */
export function refundIdOf(refunded: { orderId: string; refundId?: string | undefined }): string {
  return refunded.refundId ?? `rf_cancel_${refunded.orderId}`;
}

/**
 * Records a refund payments made (pure): a refund id already recorded is no change, so a
 * redelivered or republished `payment-refunded` counts once. A refund in another currency than
 * the order's is a broken contract: it throws (the message is retried, then parked).
 */
export function refundRecording(s: OrderState, refund: { refundId: string; amount: Money }, at: string): OrderChange | null {
  if (refundsOf(s).some((r) => r.id === refund.refundId)) return null;
  if (refund.amount.currencyCode !== s.total.currencyCode) {
    throw new Error(`order ${s._id}: refund ${refund.refundId} in ${refund.amount.currencyCode}, order in ${s.total.currencyCode}`);
  }
  return { type: 'RefundRecorded', at, data: { refundId: refund.refundId, amount: refund.amount } };
}

export function sumLines(lines: OrderLine[]): Money {
  const currencyCode = lines[0]?.unitPrice.currencyCode ?? 'USD';
  return { amount: lines.reduce((t, l) => t + l.unitPrice.amount * l.quantity, 0), currencyCode };
}
