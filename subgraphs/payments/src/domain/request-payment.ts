import { randomUUID } from 'node:crypto';
import { PaymentAuthorized, PaymentDeclined } from '@commerce/events/contracts';
import type { Money } from '@commerce/platform';
import { metaFor, PaymentBusyError, PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { settle, releaseOperation } from './operations.ts';
import { claimIsLive, evolve, paymentIdFor, PAYMENTS_COLLECTION, requested, type OperationClaim, type PaymentRecord } from './payment.ts';
import type { AuthorizeResult } from './provider.ts';

/**
 * What a `payment-requested` asks for. The provider token comes either as the claim check of
 * v2 (`paymentTokenRef`: read from the payment-token store when the provider is called, deleted
 * once the authorization is settled) or, from a v1 event or a direct call, as the token itself.
 * Either way it is used for the one provider call and never stored.
 */
export type PaymentRequest = {
  orderId: string;
  customerId: string;
  amount: Money;
  idempotencyKey: string;
} & ({ paymentTokenRef: string; paymentToken?: undefined } | { paymentToken: string; paymentTokenRef?: undefined });

export type RequestOutcome = 'authorized' | 'declined' | 'declined-order-cancelled' | 'already-handled';

/**
 * `payment-requested`: authorize once per order.
 *
 * 1. Claim: commit version 1 (PENDING, with an `authorize` operation claim). Of concurrent
 *    deliveries (a duplicate, a second instance) exactly one commits it; the others see a live
 *    claim and throw PaymentBusyError (redelivered later: by then it is a no-op). A claim whose
 *    lease ran out (its holder died) is taken over by a new version commit.
 * 2. Authorize at the provider with the order's idempotency key (a takeover after a crash gets
 *    the same answer, not a second authorization). A provider error releases the claim and throws.
 * 3. Commit AUTHORIZED (PaymentAuthorized) or DECLINED (PaymentDeclined). If the order was
 *    cancelled meanwhile, no PaymentAuthorized is published and `settle` voids at once.
 *
 * An order already known as cancelled is declined with ORDER_CANCELLED; the provider is not called.
 * A token that is not in the payment-token store (expired, used, kept for another order) is
 * declined with INVALID_TOKEN without calling the provider. Once the payment is settled (any
 * status but PENDING) its token is deleted from the store: nothing will need it again.
 */
export async function requestPayment(deps: PaymentsDeps, req: PaymentRequest, cause: Cause): Promise<RequestOutcome> {
  const paymentId = paymentIdFor(req.orderId);
  const meta = metaFor(paymentId, cause);
  const claimId = randomUUID();
  const now = Date.now();
  const claim: OperationClaim = { kind: 'authorize', id: claimId, until: now + deps.operationLeaseMs };

  const claimed = await deps.committer.update<PaymentRecord, 'settled' | 'busy'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    if (!cur) return { next: requested({ ...req, claim, now: new Date(now) }), events: [] };
    if (cur.status === 'NOT_REQUESTED') {
      const next = evolve(cur, { status: 'DECLINED', declineReason: 'ORDER_CANCELLED', amount: req.amount }, new Date(now));
      return { next, events: [PaymentDeclined.create({ orderId: req.orderId, paymentId, reason: 'ORDER_CANCELLED' }, meta)] };
    }
    if (cur.status !== 'PENDING') return { done: 'settled' };
    if (claimIsLive(cur.operation, now)) return { done: 'busy' };
    return { next: evolve(cur, { operation: claim }, new Date(now)), events: [] }; // take over
  });
  if (claimed.status === 'contended') throw new PaymentContendedError(paymentId);
  if (claimed.status === 'done') {
    if (claimed.value === 'busy') throw new PaymentBusyError(paymentId, 'authorization');
    await forgetToken(deps, req);
    await settle(deps, paymentId, cause); // finish what a crash may have left (e.g. a void)
    return 'already-handled';
  }
  if (claimed.state.status === 'DECLINED') {
    await forgetToken(deps, req);
    deps.logger.info({ paymentId, orderId: req.orderId }, 'payment declined: the order was cancelled before payment was requested');
    return 'declined-order-cancelled';
  }

  const pending = claimed.state;
  let result: AuthorizeResult;
  try {
    const token = req.paymentToken ?? (await deps.paymentTokens.read(req.paymentTokenRef, req.orderId));
    if (token === null) {
      deps.logger.warn({ paymentId, orderId: req.orderId }, 'payment token not found in the payment-token store (expired, used, or kept for another order): declined');
      result = { ok: false, reason: 'INVALID_TOKEN' };
    } else {
      result = await deps.provider.authorize({ token, amount: pending.amount!, idempotencyKey: pending.authorizationKey! });
    }
  } catch (err) {
    // the store or the provider is unreachable: the claim goes back, the request is redelivered (the token is still kept)
    await releaseOperation(deps, paymentId, claimId);
    throw err;
  }

  const settled = await deps.committer.update<PaymentRecord, 'settled'>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    // whoever commits first settles it: every holder of this key got the same answer
    if (!cur || cur.status !== 'PENDING') return { done: 'settled' };
    const at = new Date();
    if (result.ok) {
      const next = evolve(cur, { status: 'AUTHORIZED', providerRef: result.providerRef, brand: result.brand, last4: result.last4, operation: null }, at);
      const events = cur.orderCancelled
        ? [] // the order is gone already: settle voids right away
        : [PaymentAuthorized.create({ orderId: cur.orderId, paymentId, amount: cur.amount!, brand: result.brand, last4: result.last4 }, meta)];
      return { next, events };
    }
    const next = evolve(cur, { status: 'DECLINED', declineReason: result.reason, operation: null }, at);
    return { next, events: [PaymentDeclined.create({ orderId: cur.orderId, paymentId, reason: result.reason }, meta)] };
  });
  if (settled.status === 'contended') throw new PaymentContendedError(paymentId);
  if (settled.status === 'committed') {
    deps.logger.info({ paymentId, orderId: req.orderId, status: settled.state.status, reason: settled.state.declineReason ?? undefined }, 'payment authorization answered');
  }
  await forgetToken(deps, req); // settled either way (by us, or by whoever committed first)
  await settle(deps, paymentId, cause);
  if (settled.status === 'done') return 'already-handled';
  return result.ok ? 'authorized' : 'declined';
}

/**
 * Deletes a settled payment's token from the payment-token store. Best effort: the payment is
 * settled whether or not this works, and a token left behind expires with its TTL.
 */
async function forgetToken(deps: PaymentsDeps, req: PaymentRequest): Promise<void> {
  if (!req.paymentTokenRef) return;
  try {
    await deps.paymentTokens.forget(req.paymentTokenRef, req.orderId);
  } catch (err) {
    deps.logger.warn({ err, orderId: req.orderId }, 'a used payment token could not be deleted from the payment-token store; it expires');
  }
}
