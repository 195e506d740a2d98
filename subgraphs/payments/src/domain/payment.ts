import type { Versioned } from '@commerce/events';
import type { Identity, Money } from '@commerce/platform';
import type { ProviderDeclineReason } from './provider.ts';

/**
 * The payment of one order: an aggregate with a deterministic id (`pay_<orderId>`), so every
 * event about an order meets the same document, and its version-1 commit is the claim that
 * makes "authorize once" hold across redeliveries and instances.
 *
 *   PENDING ──► AUTHORIZED ──► CAPTURED ──► REFUNDED
 *      │             └──────► VOIDED
 *      └──► DECLINED
 *
 * NOT_REQUESTED is internal: the order was cancelled before its `payment-requested` arrived
 * (events cross subjects out of order). A later request is then declined with ORDER_CANCELLED.
 *
 * Besides the status, the aggregate remembers what the order asked for (`orderCancelled`,
 * `captureRequested`); the provider step those call for is derived from the state
 * (`pendingAction`), so a redelivered or late event finishes whatever a crash left undone.
 * Provider calls run under a leased `operation` claim, one at a time per payment.
 *
 * Never holds the payment token nor any card number: brand and last4 only.
 */
export const PAYMENTS_COLLECTION = 'payments';

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'DECLINED' | 'VOIDED' | 'REFUNDED';
export type PaymentState = PaymentStatus | 'NOT_REQUESTED';
export type DeclineReason = ProviderDeclineReason | 'ORDER_CANCELLED';
export type OperationKind = 'authorize' | 'capture' | 'void' | 'refund';

/** A provider call in flight: who claimed it (a random id per attempt) and until when (epoch ms). */
export interface OperationClaim {
  kind: OperationKind;
  id: string;
  until: number;
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
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function paymentIdFor(orderId: string): string {
  return `pay_${orderId}`;
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

/**
 * The provider step the payment's state calls for, if any. A cancelled order wins over a
 * requested capture: an authorization not yet captured is voided, a capture refunded.
 * (PENDING needs `authorize`, which only the `payment-requested` handler can do: it alone holds
 * the token.)
 */
export function pendingAction(p: PaymentRecord): Exclude<OperationKind, 'authorize'> | null {
  if (p.status === 'AUTHORIZED' && p.orderCancelled) return 'void';
  if (p.status === 'CAPTURED' && p.orderCancelled) return 'refund';
  if (p.status === 'AUTHORIZED' && p.captureRequested) return 'capture';
  return null;
}

/** The status after a provider step succeeded. */
export function statusAfter(action: Exclude<OperationKind, 'authorize'>): PaymentStatus {
  return action === 'void' ? 'VOIDED' : action === 'capture' ? 'CAPTURED' : 'REFUNDED';
}

/** Who may read an order's payment: the order's customer and admins. */
export function canReadPayment(user: Identity | null, p: Pick<PaymentRecord, 'customerId'>): boolean {
  if (!user) return false;
  return user.roles.includes('ADMIN') || user.id === p.customerId;
}

/** Whether the payment is visible at all (an order cancelled before paying has no payment). */
export function isVisible(p: PaymentRecord): p is PaymentRecord & { status: PaymentStatus } {
  return p.status !== 'NOT_REQUESTED';
}
