import { randomUUID } from 'node:crypto';
import { PaymentCaptured, PaymentRefunded, PaymentVoided } from '@commerce/events/contracts';
import { metaFor, PaymentBusyError, PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { claimIsLive, evolve, PAYMENTS_COLLECTION, pendingAction, statusAfter, type OperationClaim, type PaymentRecord } from './payment.ts';

/**
 * Runs the provider steps a payment's state calls for (void, capture, refund), one at a time,
 * until there is none left. Each step: claim the operation (a version commit: one claimer
 * wins), call the provider (idempotent by operation and reference), commit the outcome with its
 * event. Every handler ends with this, so a redelivered or late event completes a step that a
 * crash interrupted. Throws PaymentBusyError when another attempt holds a live claim.
 */
export async function settle(deps: PaymentsDeps, paymentId: string, cause: Cause): Promise<void> {
  for (let step = 0; step < 5; step++) {
    const claimId = randomUUID();
    const now = Date.now();
    const claimed = await deps.committer.update<PaymentRecord, 'idle' | 'busy'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
      const action = cur && pendingAction(cur);
      if (!cur || !action) return { done: 'idle' };
      if (claimIsLive(cur.operation, now)) return { done: 'busy' };
      const claim: OperationClaim = { kind: action, id: claimId, until: now + deps.operationLeaseMs };
      return { next: evolve(cur, { operation: claim }, new Date(now)), events: [] };
    });
    if (claimed.status === 'contended') throw new PaymentContendedError(paymentId);
    if (claimed.status === 'done') {
      if (claimed.value === 'busy') throw new PaymentBusyError(paymentId, 'provider operation');
      return;
    }
    const payment = claimed.state;
    const action = payment.operation!.kind as 'void' | 'capture' | 'refund';
    try {
      if (action === 'void') await deps.provider.void(payment.providerRef!);
      else if (action === 'capture') await deps.provider.capture(payment.providerRef!, payment.amount!);
      else await deps.provider.refund(payment.providerRef!, payment.amount!);
    } catch (err) {
      await releaseOperation(deps, paymentId, claimId);
      throw err;
    }
    const meta = metaFor(paymentId, cause);
    const outcome = await deps.committer.update<PaymentRecord, 'taken-over'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
      // our lease ran out and another attempt took the step over: it commits the outcome
      if (!cur || cur.operation?.id !== claimId) return { done: 'taken-over' };
      const base = { orderId: cur.orderId, paymentId };
      const event =
        action === 'void'
          ? PaymentVoided.create(base, meta)
          : action === 'capture'
            ? PaymentCaptured.create({ ...base, amount: cur.amount! }, meta)
            : PaymentRefunded.create({ ...base, amount: cur.amount! }, meta);
      return { next: evolve(cur, { status: statusAfter(action), operation: null }, new Date()), events: [event] };
    });
    if (outcome.status === 'contended') throw new PaymentContendedError(paymentId);
    if (outcome.status === 'done') return;
    deps.logger.info({ paymentId, orderId: payment.orderId, action }, `payment ${statusAfter(action).toLowerCase()}`);
  }
}

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
