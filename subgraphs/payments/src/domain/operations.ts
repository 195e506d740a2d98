import { randomUUID } from 'node:crypto';
import type { EventMeta } from '@commerce/events';
import { PaymentCaptured, PaymentRefunded, PaymentVoided } from '@commerce/events/contracts';
import { metaFor, PaymentBusyError, PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { claimIsLive, evolve, PAYMENTS_COLLECTION, pendingAction, refundsOf, refundSucceeded, statusAfter, withRefund, type OperationClaim, type PaymentRecord, type PaymentRefund } from './payment.ts';

/**
 * Runs the provider steps a payment's state calls for (void, capture, refunds), one at a time,
 * until there is none left. Each step: claim the operation (a version commit: one claimer
 * wins; a refund step of the cancellation records its entry in the same commit), call the
 * provider (idempotent by operation and reference, a refund by its refund id), commit the outcome
 * with its event. Every handler ends with this, so a redelivered or late event completes a step
 * that a crash interrupted. Throws PaymentBusyError when another attempt holds a live claim.
 */
export async function settle(deps: PaymentsDeps, paymentId: string, cause: Cause): Promise<void> {
  // each step commits progress (one step fewer left), so this ends unless requests keep coming
  for (let step = 0; step < MAX_STEPS_PER_SETTLE; step++) {
    const claimId = randomUUID();
    const now = Date.now();
    const claimed = await deps.committer.update<PaymentRecord, 'idle' | 'busy'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
      const action = cur && pendingAction(cur, new Date(now));
      if (!cur || !action) return { done: 'idle' };
      if (claimIsLive(cur.operation, now)) return { done: 'busy' };
      const claim: OperationClaim = { kind: action.kind, id: claimId, until: now + deps.operationLeaseMs, ...(action.kind === 'refund' ? { refundId: action.refund.id } : {}) };
      const refunds = action.kind === 'refund' ? { refunds: withRefund(cur, action.refund) } : {};
      return { next: evolve(cur, { operation: claim, ...refunds }, new Date(now)), events: [] };
    });
    if (claimed.status === 'contended') throw new PaymentContendedError(paymentId);
    if (claimed.status === 'done') {
      if (claimed.value === 'busy') throw new PaymentBusyError(paymentId, 'provider operation');
      return;
    }
    const payment = claimed.state;
    const claim = payment.operation!;
    const refund = claim.kind === 'refund' ? refundsOf(payment).find((r) => r.id === claim.refundId)! : null;
    try {
      if (claim.kind === 'void') await deps.provider.void(payment.providerRef!);
      else if (claim.kind === 'capture') await deps.provider.capture(payment.providerRef!, payment.amount!);
      else await deps.provider.refund(payment.providerRef!, refund!.amount, refund!.id);
    } catch (err) {
      await releaseOperation(deps, paymentId, claimId);
      throw err;
    }
    const meta = metaFor(paymentId, cause);
    const outcome = await deps.committer.update<PaymentRecord, 'taken-over'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
      // our lease ran out and another attempt took the step over: it commits the outcome
      if (!cur || cur.operation?.id !== claimId) return { done: 'taken-over' };
      const base = { orderId: cur.orderId, paymentId };
      const at = new Date();
      if (claim.kind === 'void') return { next: evolve(cur, { status: statusAfter('void'), operation: null }, at), events: [PaymentVoided.create(base, meta)] };
      if (claim.kind === 'capture') return { next: evolve(cur, { status: statusAfter('capture'), operation: null }, at), events: [PaymentCaptured.create({ ...base, amount: cur.amount! }, meta)] };
      const paid = refundSucceeded(cur, claim.refundId!, at);
      if (!paid) return { next: evolve(cur, { operation: null }, at), events: [] };
      return { next: evolve(cur, { status: paid.status, refunds: paid.refunds, operation: null }, at), events: [refundedEvent(base, paid, meta)] };
    });
    if (outcome.status === 'contended') throw new PaymentContendedError(paymentId);
    if (outcome.status === 'done') return;
    deps.logger.info({ paymentId, orderId: payment.orderId, action: claim.kind, refundId: claim.refundId, status: outcome.state.status }, DONE_MESSAGE[claim.kind]);
  }
  // more steps than one settle runs (a burst of refund requests): the caller is redelivered and goes on
  throw new PaymentBusyError(paymentId, 'series of provider operations');
}

/** PaymentRefunded for a refund entry paid back: ours, or one made at the provider (`provider-events.ts`), alike. */
export function refundedEvent(base: { orderId: string; paymentId: string }, paid: { refund: PaymentRefund; refundedTotal: number; fullyRefunded: boolean }, meta: EventMeta) {
  const currencyCode = paid.refund.amount.currencyCode;
  return PaymentRefunded.create({ ...base, amount: paid.refund.amount, refundId: paid.refund.id, refundedTotal: { amount: paid.refundedTotal, currencyCode }, fullyRefunded: paid.fullyRefunded }, meta);
}

const DONE_MESSAGE: Record<string, string> = { void: 'payment voided', capture: 'payment captured', refund: 'payment refunded' };

/** Most provider steps one `settle` runs before handing the rest to a redelivery. */
const MAX_STEPS_PER_SETTLE = 50;

/** Gives a claimed operation back after the provider failed, so a retry need not wait for the lease. */
export async function releaseOperation(deps: PaymentsDeps, paymentId: string, claimId: string): Promise<void> {
  try {
    await deps.committer.update<PaymentRecord, null>(PAYMENTS_COLLECTION, paymentId, (cur) =>
      !cur || cur.operation?.id !== claimId ? { done: null } : { next: evolve(cur, { operation: null }, new Date()), events: [] },
    );
  } catch (err) {
    // the lease runs out on its own
    deps.logger.warn({ err, paymentId }, 'could not release a payment operation claim');
  }
}
