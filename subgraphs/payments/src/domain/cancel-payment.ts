import { PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { settle } from './operations.ts';
import { cancelledBeforeRequest, evolve, paymentIdFor, PAYMENTS_COLLECTION, type PaymentRecord } from './payment.ts';

/**
 * `order-cancelled`: compensate. Remembers the order as cancelled (creating the payment as
 * NOT_REQUESTED when the request has not arrived yet, so a late request is declined), then
 * settles: an AUTHORIZED payment is voided, a CAPTURED one refunded. A PENDING one is voided by
 * its authorizer as soon as the provider answers. Idempotent per order.
 */
export async function cancelPayment(deps: PaymentsDeps, order: { orderId: string; customerId: string }, cause: Cause): Promise<void> {
  const paymentId = paymentIdFor(order.orderId);
  const marked = await deps.committer.update<PaymentRecord, null>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    const now = new Date();
    if (!cur) return { next: cancelledBeforeRequest(order.orderId, order.customerId, now), events: [] };
    if (cur.orderCancelled) return { done: null };
    return { next: evolve(cur, { orderCancelled: true }, now), events: [] };
  });
  if (marked.status === 'contended') throw new PaymentContendedError(paymentId);
  await settle(deps, paymentId, cause);
}
