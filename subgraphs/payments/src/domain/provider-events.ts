import { PaymentVoided } from '@commerce/events/contracts';
import type { Money } from '@commerce/platform';
import { metaFor, PaymentContendedError, type Cause, type PaymentsDeps } from './deps.ts';
import { refundedEvent } from './operations.ts';
import { decideProviderCancel, decideProviderRefund, evolve, PAYMENTS_COLLECTION, providerRefundIdFor, refundsOf, type PaymentRecord, type PaymentRefund } from './payment.ts';

/**
 * Something that happened at the provider outside our calls, as its (verified) webhook reports it,
 * in the port's terms (the Stripe route translates: `stripe-webhooks.ts`):
 * - `refunded`: everything refunded on the payment so far (Stripe `charge.refunded`,
 *   `amount_refunded`), e.g. after a refund made in the dashboard;
 * - `canceled`: the authorization is gone (Stripe `payment_intent.canceled`: expired after 7 days,
 *   or cancelled in the dashboard).
 */
export type ProviderEvent =
  | { kind: 'refunded'; eventId: string; providerRef: string; amountRefunded: Money; providerRefundId: string | null }
  | { kind: 'canceled'; eventId: string; providerRef: string };

/** What was done: `applied` with what changed, or recorded only, with why. */
export type ProviderEventOutcome = { applied: true; detail: string; refundId?: string } | { applied: false; detail: string };

/**
 * Applies a provider event to the payment it is about, through the same bookkeeping and events as
 * our own steps, in one version commit (the committer's claim: concurrent deliveries meet on the
 * version and the loser decides again on the winner's state, so each change happens once):
 * - a refund made at the provider → a SUCCEEDED refund entry for what no entry accounts for, with
 *   PaymentRefunded (`decideProviderRefund`);
 * - an authorization cancelled at the provider, for a cancelled order → VOIDED with PaymentVoided
 *   (`decideProviderCancel`; any void of ours still in flight finds its claim gone and commits
 *   nothing more). Otherwise nothing changes and the outcome says why.
 * Idempotent by the aggregate's state: applying the same event again changes nothing.
 */
export async function applyProviderEvent(deps: PaymentsDeps, paymentId: string, event: ProviderEvent, cause: Cause): Promise<ProviderEventOutcome> {
  const meta = metaFor(paymentId, cause);
  const r = await deps.committer.update<PaymentRecord, ProviderEventOutcome>(PAYMENTS_COLLECTION, paymentId, (cur) => {
    if (!cur || cur.providerRef !== event.providerRef) return { done: { applied: false, detail: 'no payment has this provider reference' } };
    const now = new Date();
    const base = { orderId: cur.orderId, paymentId };
    if (event.kind === 'refunded') {
      const d = decideProviderRefund(cur, { eventId: event.eventId, amountRefunded: event.amountRefunded, providerRefundId: event.providerRefundId }, now);
      if (d.kind === 'record-only') return { done: { applied: false, detail: d.reason } };
      // a concurrent (or crashed) delivery of this event applied it: say so, change nothing
      if (d.kind === 'applied-before') return { done: { applied: true, detail: refundDetail(d.refund), refundId: d.refund.id } };
      return { next: evolve(cur, { status: d.status, refunds: d.refunds }, now), events: [refundedEvent(base, d, meta)] };
    }
    const d = decideProviderCancel(cur);
    if (d.kind === 'record-only') return { done: { applied: false, detail: d.reason } };
    return { next: evolve(cur, { status: 'VOIDED', operation: null }, now), events: [PaymentVoided.create(base, meta)] };
  });
  if (r.status === 'contended') throw new PaymentContendedError(paymentId);
  if (r.status === 'done') return r.value;
  if (event.kind === 'canceled') {
    deps.logger.info({ paymentId, providerEventId: event.eventId }, 'payment voided: its authorization was cancelled at the provider');
    return { applied: true, detail: 'voided' };
  }
  const refund = refundsOf(r.state).find((e) => e.id === providerRefundIdFor(event.eventId))!;
  deps.logger.info({ paymentId, providerEventId: event.eventId, refundId: refund.id, amount: refund.amount.amount, status: r.state.status }, 'payment refunded at the provider: recorded');
  return { applied: true, detail: refundDetail(refund), refundId: refund.id };
}

const refundDetail = (refund: PaymentRefund) => `refund ${refund.id} of ${refund.amount.amount} recorded`;
