import { PaymentRefundRejected } from '@commerce/events/contracts';
import { metaFor, PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { settle } from './operations.ts';
import { decideRefund, evolve, paymentIdFor, PAYMENTS_COLLECTION, refundsOf, type PaymentRecord, type RefundRequest } from './payment.ts';
import { rejectAsUnknownPayment, wasRejectedAsUnknownPayment } from './unknown-payment-refunds.ts';

export type RefundOutcome = 'accepted' | 'rejected' | 'rejected-unknown-payment' | 'already-answered';

/**
 * `refund-requested` (from a support ticket): pay back part or all of a captured payment.
 *
 * 1. Decide on the payment aggregate (`decideRefund`) in one version commit: a refund id already
 *    recorded is answered already (nothing more happens, whatever the delivery); a request that
 *    does not fit is recorded REJECTED and PaymentRefundRejected goes out in the same commit; one
 *    that fits is recorded PENDING, which reserves its amount. Concurrent requests meet on the
 *    version: each decides again on the winner's state, so together they never exceed the capture.
 * 2. `settle` pays PENDING refunds back at the provider (key = refund id) and commits each
 *    SUCCEEDED with PaymentRefunded. It also runs after a duplicate, to finish a crashed step.
 *
 * A payment this service does not know has no aggregate to record the answer on: the rejection
 * (UNKNOWN_PAYMENT) is committed on its own small record (`unknown-payment-refunds.ts`).
 */
export async function refundPayment(deps: PaymentsDeps, req: RefundRequest, cause: Cause): Promise<RefundOutcome> {
  const paymentId = paymentIdFor(req.orderId);
  const meta = metaFor(paymentId, cause);

  // rejected as UNKNOWN_PAYMENT before (and the payment appeared since): that was the answer
  if (await wasRejectedAsUnknownPayment(deps, req.orderId, req.refundId)) return 'already-answered';

  const decided = await deps.committer.update<PaymentRecord, 'unknown-payment' | 'duplicate'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    const now = new Date();
    const d = decideRefund(cur, req, now);
    if (d.kind === 'unknown-payment' || d.kind === 'duplicate') return { done: d.kind };
    const next = evolve(cur!, { refunds: [...refundsOf(cur!), d.refund] }, now);
    if (d.kind === 'accepted') return { next, events: [] };
    const rejected = PaymentRefundRejected.create({ refundId: req.refundId, orderId: req.orderId, paymentId, amount: req.amount, reason: d.refund.rejectionReason }, meta);
    return { next, events: [rejected] };
  });
  if (decided.status === 'contended') throw new PaymentContendedError(paymentId);
  if (decided.status === 'done' && decided.value === 'unknown-payment') {
    const answered = await rejectAsUnknownPayment(deps, req, meta);
    if (answered) deps.logger.info({ paymentId, refundId: req.refundId }, 'refund rejected: no such payment');
    return answered ? 'rejected-unknown-payment' : 'already-answered';
  }
  if (decided.status === 'committed') {
    const refund = refundsOf(decided.state).find((r) => r.id === req.refundId)!;
    deps.logger.info({ paymentId, refundId: req.refundId, amount: req.amount.amount, status: refund.status, reason: refund.rejectionReason ?? undefined }, 'refund request decided');
  }
  await settle(deps, paymentId, cause);
  if (decided.status === 'done') return 'already-answered';
  return refundsOf(decided.state).find((r) => r.id === req.refundId)!.status === 'REJECTED' ? 'rejected' : 'accepted';
}
