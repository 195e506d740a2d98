import { PaymentRefundRejected } from '@commerce/events/contracts';
import type { EventMeta, Versioned } from '@commerce/events';
import type { Money } from '@commerce/platform';
import { PaymentContendedError, type PaymentsDeps } from './deps.ts';
import { paymentIdFor, type RefundRequest } from './payment.ts';

/**
 * Refund requests for a payment this service does not know (no `pay_<orderId>`), answered with
 * PaymentRefundRejected UNKNOWN_PAYMENT. An event goes out only with a version commit, and the
 * payment aggregate must not be created by a refund request (its version 1 is the authorization's
 * claim), so the answers are recorded on a record of their own, with the payment's id in a
 * separate collection: version n+1 per rejected refund id, so a redelivery finds its id and
 * publishes nothing twice.
 */
export const UNKNOWN_PAYMENT_REFUNDS_COLLECTION = 'unknown_payment_refunds';

export interface UnknownPaymentRefunds extends Versioned {
  /** the payment id asked about: `pay_<orderId>` */
  _id: string;
  orderId: string;
  refunds: Array<{ id: string; amount: Money; ticketId: string; requestedAt: Date }>;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function hasUnknownPaymentRefund(record: UnknownPaymentRefunds | null, refundId: string): boolean {
  return !!record?.refunds.some((r) => r.id === refundId);
}

/** The record with one more rejected refund (pure); null when the refund id was answered already. */
export function withUnknownPaymentRefund(record: UnknownPaymentRefunds | null, req: RefundRequest, now: Date): UnknownPaymentRefunds | null {
  if (hasUnknownPaymentRefund(record, req.refundId)) return null;
  const refund = { id: req.refundId, amount: req.amount, ticketId: req.ticketId, requestedAt: now };
  if (!record) return { _id: paymentIdFor(req.orderId), orderId: req.orderId, refunds: [refund], createdAt: now, updatedAt: now, version: 1 };
  return { ...record, refunds: [...record.refunds, refund], updatedAt: now, version: record.version + 1 };
}

/**
 * Whether a refund id was answered UNKNOWN_PAYMENT before. A payment that appeared since (its
 * request came late) must not turn a redelivered, already rejected request into a refund. A read
 * through the committer: a decision that commits nothing.
 */
export async function wasRejectedAsUnknownPayment(deps: PaymentsDeps, orderId: string, refundId: string): Promise<boolean> {
  const read = await deps.committer.update<UnknownPaymentRefunds, boolean>(UNKNOWN_PAYMENT_REFUNDS_COLLECTION, paymentIdFor(orderId), (cur) => ({ done: hasUnknownPaymentRefund(cur, refundId) }));
  return read.status === 'done' && read.value;
}

/** Records the rejection and publishes PaymentRefundRejected UNKNOWN_PAYMENT; false when it was answered already. */
export async function rejectAsUnknownPayment(deps: PaymentsDeps, req: RefundRequest, meta: EventMeta): Promise<boolean> {
  const paymentId = paymentIdFor(req.orderId);
  const r = await deps.committer.update<UnknownPaymentRefunds, null>(UNKNOWN_PAYMENT_REFUNDS_COLLECTION, paymentId, (cur) => {
    const next = withUnknownPaymentRefund(cur, req, new Date());
    if (!next) return { done: null };
    return { next, events: [PaymentRefundRejected.create({ refundId: req.refundId, orderId: req.orderId, paymentId, amount: req.amount, reason: 'UNKNOWN_PAYMENT' }, meta)] };
  });
  if (r.status === 'contended') throw new PaymentContendedError(paymentId);
  return r.status === 'committed';
}
