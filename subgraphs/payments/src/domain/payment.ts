import type { Versioned } from '@commerce/events';
import { paymentIdOfOrder } from '@commerce/events/contracts';
import { isAgent, type Identity, type Money } from '@commerce/platform';
import type { ProviderDeclineReason } from './provider.ts';

/**
 * The payment of one order: an aggregate with a deterministic id (`pay_<orderId>`), so every
 * event about an order meets the same document, and its version-1 commit is the claim that
 * makes "authorize once" hold across redeliveries and instances.
 *
 *   PENDING ──► AUTHORIZED ──► CAPTURED ──► REFUNDED
 *      │             └──────► VOIDED  │ ▲
 *      └──► DECLINED                  └─┘ partial refunds (status stays CAPTURED)
 *
 * NOT_REQUESTED is internal: the order was cancelled before its `payment-requested` arrived
 * (events cross subjects out of order). A later request is then declined with ORDER_CANCELLED.
 *
 * Besides the status, the aggregate remembers what the order asked for (`orderCancelled`,
 * `captureRequested`); the provider step those call for is derived from the state
 * (`pendingAction`), so a redelivered or late event finishes whatever a crash left undone.
 * Provider calls run under a leased `operation` claim, one at a time per payment.
 *
 * Refunds are entries on the aggregate (`refunds`), keyed by their refund id, so a redelivered
 * or repeated request finds its id and refunds nothing more. A request is decided on the
 * aggregate (`decideRefund`: recorded PENDING, or REJECTED with its reason) in one version
 * commit; the provider step then pays PENDING entries back one at a time. The cancellation of a
 * captured order adds one more entry (`rf_cancel_<orderId>`) for whatever is left. Everything
 * captured paid back makes the payment REFUNDED; less keeps it CAPTURED, which the API shows as
 * PARTIALLY_REFUNDED (`apiStatusOf`).
 *
 * Never holds the payment token nor any card number: brand and last4 only.
 */
export const PAYMENTS_COLLECTION = 'payments';

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'DECLINED' | 'VOIDED' | 'REFUNDED';
export type PaymentState = PaymentStatus | 'NOT_REQUESTED';
export type DeclineReason = ProviderDeclineReason | 'ORDER_CANCELLED';
export type OperationKind = 'authorize' | 'capture' | 'void' | 'refund';
export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'REJECTED';
export type RefundRejectionReason = 'UNKNOWN_PAYMENT' | 'NOT_CAPTURED' | 'EXCEEDS_CAPTURED' | 'CURRENCY_MISMATCH';

/**
 * A provider call in flight: who claimed it (a random id per attempt) and until when (epoch ms);
 * a refund claim names the refund entry it pays back.
 */
export interface OperationClaim {
  kind: OperationKind;
  id: string;
  until: number;
  refundId?: string;
}

/** One refund of the payment, as asked for (by a support ticket, or the order's cancellation). */
export interface PaymentRefund {
  /** the requester's id (support: per ticket and idempotency key); the provider's idempotency key */
  id: string;
  amount: Money;
  status: RefundStatus;
  /** why it was not made; null unless REJECTED */
  rejectionReason: RefundRejectionReason | null;
  /** the support ticket that asked for it; null for the cancellation's refund */
  ticketId: string | null;
  requestedAt: Date;
  /** when the provider paid it back; null until SUCCEEDED */
  refundedAt: Date | null;
  /**
   * `provider`: made at the provider outside our calls (e.g. in Stripe's dashboard) and recorded
   * from its webhook (`decideProviderRefund`), SUCCEEDED from the start. Absent: asked for here
   * (a support ticket, or the order's cancellation) and paid back through the provider port.
   */
  source?: 'provider';
  /** the provider's own id of that refund when its event named one (Stripe `re_…`), else null */
  providerRefundId?: string | null;
}

/** What a `refund-requested` asks for. */
export interface RefundRequest {
  refundId: string;
  orderId: string;
  ticketId: string;
  amount: Money;
}

export interface PaymentRecord extends Versioned {
  _id: string;
  orderId: string;
  customerId: string;
  status: PaymentState;
  amount: Money | null;
  brand: string | null;
  last4: string | null;
  providerRef: string | null;
  declineReason: DeclineReason | null;
  /** the key the provider deduplicates the authorization by */
  authorizationKey: string | null;
  orderCancelled: boolean;
  captureRequested: boolean;
  operation: OperationClaim | null;
  /** every refund asked for, in request order; absent on payments stored before partial refunds */
  refunds?: PaymentRefund[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The payment of an order: `pay_<orderId>` (the contract's rule, which orders checks authorizations by). */
export function paymentIdFor(orderId: string): string {
  return paymentIdOfOrder(orderId);
}

/**
 * The provider idempotency key of an order's authorization. The order's own key is only unique
 * per customer, so it is scoped by the order id.
 */
export function authorizationKeyFor(orderId: string, idempotencyKey: string): string {
  return `${orderId}:${idempotencyKey}`;
}

/** A payment nobody asked for yet: the order was cancelled first. */
export function cancelledBeforeRequest(orderId: string, customerId: string, now: Date): PaymentRecord {
  return {
    _id: paymentIdFor(orderId),
    orderId,
    customerId,
    status: 'NOT_REQUESTED',
    amount: null,
    brand: null,
    last4: null,
    providerRef: null,
    declineReason: null,
    authorizationKey: null,
    orderCancelled: true,
    captureRequested: false,
    operation: null,
    refunds: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** A new request, with its authorization claimed by the caller (version 1). */
export function requested(args: { orderId: string; customerId: string; amount: Money; idempotencyKey: string; claim: OperationClaim; now: Date }): PaymentRecord {
  return {
    _id: paymentIdFor(args.orderId),
    orderId: args.orderId,
    customerId: args.customerId,
    status: 'PENDING',
    amount: args.amount,
    brand: null,
    last4: null,
    providerRef: null,
    declineReason: null,
    authorizationKey: authorizationKeyFor(args.orderId, args.idempotencyKey),
    orderCancelled: false,
    captureRequested: false,
    operation: args.claim,
    refunds: [],
    createdAt: args.now,
    updatedAt: args.now,
    version: 1,
  };
}

/** The next version of a payment with some fields changed. */
export function evolve(current: PaymentRecord, changes: Partial<PaymentRecord>, now: Date): PaymentRecord {
  return { ...current, ...changes, updatedAt: now, version: current.version + 1 };
}

export function claimIsLive(claim: OperationClaim | null, now: number): boolean {
  return !!claim && claim.until > now;
}

/** The provider step a payment's state calls for; a refund step names the entry it pays back. */
export type ProviderStep = { kind: 'void' } | { kind: 'capture' } | { kind: 'refund'; refund: PaymentRefund };

/**
 * The provider step the payment's state calls for, if any. A cancelled order wins over a
 * requested capture: an authorization not yet captured is voided. On a capture, refunds
 * recorded as PENDING are paid back first, oldest first; then a cancelled order gets back what is
 * left (a new `rf_cancel_<orderId>` entry, which the claim records). Nothing left, no step.
 * (PENDING needs `authorize`, which only the `payment-requested` handler can do: it alone can
 * get the token, through the claim check the request carries.)
 */
export function pendingAction(p: PaymentRecord, now: Date = new Date()): ProviderStep | null {
  if (p.status === 'AUTHORIZED' && p.orderCancelled) return { kind: 'void' };
  if (p.status === 'AUTHORIZED' && p.captureRequested) return { kind: 'capture' };
  if (p.status !== 'CAPTURED') return null;
  const pending = refundsOf(p).find((r) => r.status === 'PENDING');
  if (pending) return { kind: 'refund', refund: pending };
  if (!p.orderCancelled) return null;
  const id = cancellationRefundIdFor(p.orderId);
  // the cancellation pays back once, whatever happens after
  if (refundsOf(p).some((r) => r.id === id)) return null;
  const remainder = capturedAmount(p) - refundedAmount(p);
  if (remainder <= 0) return null;
  return { kind: 'refund', refund: { id, amount: { amount: remainder, currencyCode: p.amount!.currencyCode }, status: 'PENDING', rejectionReason: null, ticketId: null, requestedAt: now, refundedAt: null } };
}

/** The status after a void or a capture succeeded (a refund's depends on what is left: `refundSucceeded`). */
export function statusAfter(action: 'void' | 'capture'): PaymentStatus {
  return action === 'void' ? 'VOIDED' : 'CAPTURED';
}

/** The refund id of a cancelled order's refund (also what old PaymentRefunded events without one stand for). */
export function cancellationRefundIdFor(orderId: string): string {
  return `rf_cancel_${orderId}`;
}

export function refundsOf(p: Pick<PaymentRecord, 'refunds'>): PaymentRefund[] {
  return p.refunds ?? [];
}

/** What was charged, in minor units: the amount once captured, else 0. */
export function capturedAmount(p: Pick<PaymentRecord, 'status' | 'amount'>): number {
  return (p.status === 'CAPTURED' || p.status === 'REFUNDED') && p.amount ? p.amount.amount : 0;
}

/**
 * What was paid back, in minor units: the SUCCEEDED refunds. A payment refunded before partial
 * refunds existed has no entries: it was refunded in full.
 */
export function refundedAmount(p: Pick<PaymentRecord, 'status' | 'amount' | 'refunds'>): number {
  const succeeded = refundsOf(p).filter((r) => r.status === 'SUCCEEDED');
  if (succeeded.length === 0 && p.status === 'REFUNDED') return p.amount?.amount ?? 0;
  return succeeded.reduce((t, r) => t + r.amount.amount, 0);
}

/** What a new refund may still take, in minor units: captured minus refunds SUCCEEDED or PENDING. */
export function refundableAmount(p: PaymentRecord): number {
  if (p.status !== 'CAPTURED') return 0;
  const pending = refundsOf(p).filter((r) => r.status === 'PENDING').reduce((t, r) => t + r.amount.amount, 0);
  return capturedAmount(p) - refundedAmount(p) - pending;
}

export type RefundDecision =
  | { kind: 'unknown-payment' }
  | { kind: 'duplicate'; refund: PaymentRefund }
  | { kind: 'accepted'; refund: PaymentRefund }
  | { kind: 'rejected'; refund: PaymentRefund & { rejectionReason: RefundRejectionReason } };

/**
 * Decides a refund request on the payment (pure). A refund id already recorded is a duplicate
 * (whatever its answer was: redeliveries never refund twice). Otherwise, in this order: no
 * payment → UNKNOWN_PAYMENT; not captured, or refunded in full → NOT_CAPTURED; another currency
 * → CURRENCY_MISMATCH; more than captured minus the refunds made or in flight → EXCEEDS_CAPTURED;
 * else the refund is recorded PENDING, which reserves its amount against later requests.
 */
export function decideRefund(p: PaymentRecord | null, req: RefundRequest, now: Date): RefundDecision {
  if (!p) return { kind: 'unknown-payment' };
  const known = refundsOf(p).find((r) => r.id === req.refundId);
  if (known) return { kind: 'duplicate', refund: known };
  const entry = (status: RefundStatus, rejectionReason: RefundRejectionReason | null): PaymentRefund => ({
    id: req.refundId,
    amount: req.amount,
    status,
    rejectionReason,
    ticketId: req.ticketId,
    requestedAt: now,
    refundedAt: null,
  });
  const reject = (reason: RefundRejectionReason) => ({ kind: 'rejected' as const, refund: { ...entry('REJECTED', reason), rejectionReason: reason } });
  if (p.status !== 'CAPTURED' || !p.amount) return reject('NOT_CAPTURED');
  if (req.amount.currencyCode !== p.amount.currencyCode) return reject('CURRENCY_MISMATCH');
  if (req.amount.amount > refundableAmount(p)) return reject('EXCEEDS_CAPTURED');
  return { kind: 'accepted', refund: entry('PENDING', null) };
}

/** The payment with one more refund entry (a decision's, or the cancellation's when its step is claimed). */
export function withRefund(p: PaymentRecord, refund: PaymentRefund): PaymentRefund[] {
  return refundsOf(p).some((r) => r.id === refund.id) ? refundsOf(p) : [...refundsOf(p), refund];
}

/**
 * A PENDING refund paid back by the provider: the entry SUCCEEDED, the total so far, and the
 * status (REFUNDED once everything captured was paid back, else still CAPTURED). Null when the
 * entry is not PENDING (someone else settled it).
 */
export function refundSucceeded(p: PaymentRecord, refundId: string, at: Date): { refunds: PaymentRefund[]; status: PaymentStatus; refund: PaymentRefund; refundedTotal: number; fullyRefunded: boolean } | null {
  const refund = refundsOf(p).find((r) => r.id === refundId);
  if (!refund || refund.status !== 'PENDING') return null;
  const done: PaymentRefund = { ...refund, status: 'SUCCEEDED', refundedAt: at };
  const refunds = refundsOf(p).map((r) => (r.id === refundId ? done : r));
  const refundedTotal = refundedAmount({ status: p.status, amount: p.amount, refunds });
  const fullyRefunded = refundedTotal >= capturedAmount(p);
  return { refunds, status: fullyRefunded ? 'REFUNDED' : 'CAPTURED', refund: done, refundedTotal, fullyRefunded };
}

/** The status the API shows: a capture partly paid back is PARTIALLY_REFUNDED (internally still CAPTURED). */
export function apiStatusOf(p: PaymentRecord & { status: PaymentStatus }): PaymentStatus | 'PARTIALLY_REFUNDED' {
  return p.status === 'CAPTURED' && refundedAmount(p) > 0 ? 'PARTIALLY_REFUNDED' : p.status;
}

/** The order a payment id belongs to (`pay_<orderId>`), or null for an id that is not one. */
export function orderIdOfPayment(paymentId: string): string | null {
  return paymentId.startsWith('pay_') && paymentId.length > 4 ? paymentId.slice(4) : null;
}

/**
 * Who may read an order's payment (Order.payment and Payment references alike): the order's
 * customer, support agents and admins. The one place to change access.
 */
export function canReadPayment(user: Identity | null, p: Pick<PaymentRecord, 'customerId'>): boolean {
  // support agents (and admins) read payments: they handle the tickets and refunds about them
  return isAgent(user) || (!!user && user.id === p.customerId);
}

/** Whether the payment is visible at all (an order cancelled before paying has no payment). */
export function isVisible(p: PaymentRecord): p is PaymentRecord & { status: PaymentStatus } {
  return p.status !== 'NOT_REQUESTED';
}

/** The refund entry id of a refund made at the provider, recorded from the provider event `eventId`. */
export function providerRefundIdFor(eventId: string): string {
  return `rf_provider_${eventId}`;
}

/** What a provider event says was paid back on a payment in total (`charge.refunded`). */
export interface ProviderRefundReport {
  /** the provider's event id (one entry per event at most) */
  eventId: string;
  /** everything refunded at the provider on this payment so far (cumulative) */
  amountRefunded: Money;
  /** the provider's id of the refund that event is about, when it names one */
  providerRefundId: string | null;
}

export type ProviderRefundDecision =
  | { kind: 'apply'; refund: PaymentRefund; refunds: PaymentRefund[]; status: PaymentStatus; refundedTotal: number; fullyRefunded: boolean }
  /** this event's entry is there already (an earlier or concurrent delivery of it): nothing more */
  | { kind: 'applied-before'; refund: PaymentRefund }
  | { kind: 'record-only'; reason: string };

/**
 * A refund made at the provider outside our calls (pure): the provider reports its cumulative
 * amount refunded; what exceeds ours becomes one SUCCEEDED entry (`rf_provider_<eventId>`,
 * `source: 'provider'`), committed with PaymentRefunded like a refund we make. Ours counts the
 * refunds SUCCEEDED **and PENDING**: a PENDING refund may already be made at the provider (its
 * webhook can come before our commit), so counting it never records a refund twice; if it was
 * not made yet, the provider's next event (when it is made) brings the rest. So an event adds
 * only what no entry accounts for: a redelivery, or a later event with the same cumulative
 * amount, adds nothing; stale events (a smaller cumulative amount) add nothing. Never more than
 * the capture minus every other entry. Only on a CAPTURED payment in the same currency; anything
 * else is recorded only (with its reason).
 */
export function decideProviderRefund(p: PaymentRecord, report: ProviderRefundReport, now: Date): ProviderRefundDecision {
  const id = providerRefundIdFor(report.eventId);
  const known = refundsOf(p).find((r) => r.id === id);
  if (known) return { kind: 'applied-before', refund: known };
  if (p.status !== 'CAPTURED' || !p.amount) return { kind: 'record-only', reason: `payment ${p.status} here: only a captured payment takes a provider refund` };
  if (report.amountRefunded.currencyCode !== p.amount.currencyCode) return { kind: 'record-only', reason: `refunded in ${report.amountRefunded.currencyCode}, payment in ${p.amount.currencyCode}` };
  const pending = refundsOf(p).filter((r) => r.status === 'PENDING').reduce((t, r) => t + r.amount.amount, 0);
  const missing = report.amountRefunded.amount - refundedAmount(p) - pending;
  if (missing <= 0) return { kind: 'record-only', reason: pending > 0 ? 'no more than our refunds (some in flight) account for' : 'no more than our refunds account for' };
  const amount = Math.min(missing, refundableAmount(p));
  if (amount <= 0) return { kind: 'record-only', reason: 'nothing left of the capture beyond our refunds' };
  const entry: PaymentRefund = {
    id,
    amount: { amount, currencyCode: p.amount.currencyCode },
    status: 'PENDING',
    rejectionReason: null,
    ticketId: null,
    requestedAt: now,
    refundedAt: null,
    source: 'provider',
    providerRefundId: report.providerRefundId,
  };
  // the same bookkeeping as a refund we made and the provider paid back
  const paid = refundSucceeded({ ...p, refunds: [...refundsOf(p), entry] }, id, now)!;
  return { kind: 'apply', ...paid };
}

export type ProviderCancelDecision = { kind: 'apply' } | { kind: 'record-only'; reason: string };

/**
 * The provider cancelled the authorization outside our calls (expired after 7 days at Stripe, or
 * cancelled in its dashboard) (pure). Applied (VOIDED, PaymentVoided, as a void we make) only on
 * an AUTHORIZED payment whose **order was cancelled**: the void is what the saga asked for and its
 * own void is pending (failing at the provider, or in flight). Otherwise recorded only: orders
 * does not consume PaymentVoided, so for an order not cancelled (PENDING with our
 * PaymentAuthorized on its way, or CONFIRMED) a void here would leave it confirmed with a
 * payment that a capture then silently skips; left AUTHORIZED, its capture fails at the provider
 * and is parked where an operator sees it.
 */
export function decideProviderCancel(p: PaymentRecord): ProviderCancelDecision {
  if (p.status === 'VOIDED') return { kind: 'record-only', reason: 'already voided' };
  if (p.status !== 'AUTHORIZED') return { kind: 'record-only', reason: `payment ${p.status} here: only an authorization can be voided` };
  if (!p.orderCancelled) return { kind: 'record-only', reason: 'the order is not cancelled: voiding would leave it confirmed (or about to be) without a payment' };
  return { kind: 'apply' };
}
