import { PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { settle } from './operations.ts';
import { evolve, paymentIdFor, PAYMENTS_COLLECTION, type PaymentRecord } from './payment.ts';

/**
 * `order-confirmed`: capture the authorization. Records that the order asked for a capture,
 * then settles (a cancellation that got there first wins: nothing is captured). Idempotent per
 * order: a second confirmation finds the capture asked for already.
 */
export async function capturePayment(deps: PaymentsDeps, order: { orderId: string }, cause: Cause): Promise<'capture-requested' | 'unknown-order'> {
  const paymentId = paymentIdFor(order.orderId);
  const marked = await deps.committer.update<PaymentRecord, 'unknown' | 'known'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    if (!cur) return { done: 'unknown' };
    if (cur.captureRequested) return { done: 'known' };
    return { next: evolve(cur, { captureRequested: true }, new Date()), events: [] };
  });
  if (marked.status === 'contended') throw new PaymentContendedError(paymentId);
  if (marked.status === 'done' && marked.value === 'unknown') {
    // confirmation follows our own PaymentAuthorized, so this order never asked us to pay
    deps.logger.warn({ paymentId, orderId: order.orderId }, 'order confirmed without a payment here; nothing to capture');
    return 'unknown-order';
  }
  await settle(deps, paymentId, cause);
  return 'capture-requested';
}
