import { paymentIdOfOrder } from '@commerce/events/contracts';
import type { Money } from '@commerce/platform';
import type { OrderState } from './order.ts';

/**
 * Which `payment-authorized` may confirm an order (security review, finding 2): the saga used to
 * confirm any PENDING order on any authorization. Now an authorization counts only when it is
 * the payment this order asked for, for exactly what the order costs:
 *
 * - `paymentId` is the order's payment, `pay_<orderId>` (`paymentIdOfOrder`). The order stores
 *   no payment id of its own: payments derives it from the order id, one payment per order, and
 *   authorizes it only on this order's `payment-requested` (idempotency key `pay:<orderId>`), so
 *   an authorization of any other payment — another order's, or a made-up one — is not this
 *   order's payment;
 * - `amount` equals the order's total in minor units, and its currency the order's currency
 *   (payments authorizes exactly the amount of the `payment-requested`, which is the total).
 *
 * Pure: state + event → decision.
 */
export type PaymentMismatch = 'payment_id' | 'amount' | 'currency';

export interface AuthorizationClaim {
  orderId: string;
  paymentId: string;
  amount: Money;
}

export type AuthorizationDecision =
  /** this order's payment, its total: confirm */
  | { kind: 'confirm' }
  /** a matching authorization the order has no use for (redelivered after confirmation, late after a cancellation, before payment was requested) */
  | { kind: 'ignore' }
  /** not this order's payment or not its total: never confirms */
  | { kind: 'reject'; mismatches: PaymentMismatch[] };

/** How an authorization differs from what the order expects (empty: it matches). */
export function paymentMismatches(order: Pick<OrderState, '_id' | 'total'>, authorized: AuthorizationClaim): PaymentMismatch[] {
  const out: PaymentMismatch[] = [];
  if (authorized.orderId !== order._id || authorized.paymentId !== paymentIdOfOrder(order._id)) out.push('payment_id');
  if (authorized.amount.amount !== order.total.amount) out.push('amount');
  if (authorized.amount.currencyCode !== order.total.currencyCode) out.push('currency');
  return out;
}

/**
 * What the saga does with a `payment-authorized`. A mismatch is rejected in every state (so a
 * forged event is reported even when it could not have changed anything); a match confirms only
 * a PENDING order whose payment was requested. Deciding again on a redelivery gives the same
 * answer, and a confirmed order is never confirmed twice.
 */
export function decideAuthorization(order: Pick<OrderState, '_id' | 'total' | 'status' | 'stockReserved' | 'paymentRequested'>, authorized: AuthorizationClaim): AuthorizationDecision {
  const mismatches = paymentMismatches(order, authorized);
  if (mismatches.length) return { kind: 'reject', mismatches };
  if (order.status !== 'PENDING' || !order.stockReserved || !order.paymentRequested) return { kind: 'ignore' };
  return { kind: 'confirm' };
}
