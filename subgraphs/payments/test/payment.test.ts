import { describe, expect, it } from 'vitest';
import { ConfigError } from '@commerce/platform';
import { loadPaymentsConfig } from '../src/config.ts';
import {
  apiStatusOf,
  canReadPayment,
  cancelledBeforeRequest,
  decideProviderCancel,
  decideProviderRefund,
  decideRefund,
  evolve,
  orderIdOfPayment,
  pendingAction,
  refundableAmount,
  refundedAmount,
  refundSucceeded,
  requested,
  withRefund,
  type PaymentRecord,
  type PaymentRefund,
  type RefundStatus,
} from '../src/domain/payment.ts';
import { testTokenOutcome } from '../src/domain/test-provider.ts';
import { hasUnknownPaymentRefund, withUnknownPaymentRefund } from '../src/domain/unknown-payment-refunds.ts';

const now = new Date('2026-01-01T00:00:00Z');
const claim = { kind: 'authorize' as const, id: 'c1', until: 0 };
function payment(changes: Partial<PaymentRecord>): PaymentRecord {
  return evolve(requested({ orderId: 'ord_1', customerId: 'cust_1', amount: { amount: 100, currencyCode: 'USD' }, idempotencyKey: 'k', claim, now }), changes, now);
}

describe('test provider tokens', () => {
  it('authorizes the two test cards and declines the rest with the right reason', () => {
    expect(testTokenOutcome('tok_visa')).toEqual({ ok: true, brand: 'visa', last4: '4242' });
    expect(testTokenOutcome('tok_mastercard')).toEqual({ ok: true, brand: 'mastercard', last4: '4444' });
    expect(testTokenOutcome('tok_chargeDeclined')).toEqual({ ok: false, reason: 'CARD_DECLINED' });
    expect(testTokenOutcome('tok_insufficientFunds')).toEqual({ ok: false, reason: 'INSUFFICIENT_FUNDS' });
    for (const t of ['tok_amex', '', 'toString', '__proto__', 'TOK_VISA']) expect(testTokenOutcome(t)).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
  });
});

describe('payment rules', () => {
  it('derives the provider step from the state; a cancellation wins over a capture', () => {
    const kind = (p: PaymentRecord) => pendingAction(p, now)?.kind ?? null;
    expect(kind(payment({}))).toBeNull(); // PENDING: only the authorizer acts
    expect(kind(payment({ status: 'AUTHORIZED' }))).toBeNull();
    expect(kind(payment({ status: 'AUTHORIZED', captureRequested: true }))).toBe('capture');
    expect(kind(payment({ status: 'AUTHORIZED', orderCancelled: true }))).toBe('void');
    expect(kind(payment({ status: 'AUTHORIZED', orderCancelled: true, captureRequested: true }))).toBe('void');
    expect(kind(payment({ status: 'CAPTURED', orderCancelled: true }))).toBe('refund');
    expect(kind(payment({ status: 'CAPTURED', captureRequested: true }))).toBeNull();
    for (const status of ['DECLINED', 'VOIDED', 'REFUNDED'] as const) expect(kind(payment({ status, orderCancelled: true, captureRequested: true }))).toBeNull();
    expect(kind(cancelledBeforeRequest('ord_1', 'cust_1', now))).toBeNull();
  });

  it('keys the authorization by order, since an order key is unique per customer only', () => {
    const a = requested({ orderId: 'ord_a', customerId: 'cust_1', amount: { amount: 1, currencyCode: 'USD' }, idempotencyKey: 'same', claim, now });
    const b = requested({ orderId: 'ord_b', customerId: 'cust_2', amount: { amount: 1, currencyCode: 'USD' }, idempotencyKey: 'same', claim, now });
    expect(a.authorizationKey).not.toBe(b.authorizationKey);
    expect(a._id).toBe('pay_ord_a');
  });

  it("lets the order's customer and admins read the payment", () => {
    const p = payment({});
    expect(canReadPayment({ id: 'cust_1', roles: ['CUSTOMER'] }, p)).toBe(true);
    expect(canReadPayment({ id: 'cust_2', roles: ['CUSTOMER', 'ADMIN'] }, p)).toBe(true);
    expect(canReadPayment({ id: 'cust_2', roles: ['CUSTOMER'] }, p)).toBe(false);
    expect(canReadPayment(null, p)).toBe(false);
  });
});

describe('refund rules', () => {
  const USD = (amount: number) => ({ amount, currencyCode: 'USD' });
  const refund = (id: string, amount: number, status: RefundStatus): PaymentRefund => ({ id, amount: USD(amount), status, rejectionReason: status === 'REJECTED' ? 'EXCEEDS_CAPTURED' : null, ticketId: 'tkt_1', requestedAt: now, refundedAt: status === 'SUCCEEDED' ? now : null });
  /** a capture of 100.00 with these refunds */
  const captured = (refunds: PaymentRefund[] = [], changes: Partial<PaymentRecord> = {}) => payment({ status: 'CAPTURED', amount: USD(10_000), captureRequested: true, refunds, ...changes });
  const ask = (refundId: string, amount: number, currencyCode = 'USD') => ({ refundId, orderId: 'ord_1', ticketId: 'tkt_9', amount: { amount, currencyCode } });

  it('accepts a refund that fits what is left, recording it PENDING', () => {
    const d = decideRefund(captured([refund('rf_a', 3000, 'SUCCEEDED')]), ask('rf_b', 7000), now);
    expect(d).toEqual({ kind: 'accepted', refund: { id: 'rf_b', amount: USD(7000), status: 'PENDING', rejectionReason: null, ticketId: 'tkt_9', requestedAt: now, refundedAt: null } });
  });

  it('rejects a refund that exceeds the capture minus refunds succeeded or pending (rejected ones do not count)', () => {
    const p = captured([refund('rf_a', 3000, 'SUCCEEDED'), refund('rf_b', 3000, 'PENDING'), refund('rf_c', 9000, 'REJECTED')]);
    expect(refundableAmount(p)).toBe(4000);
    expect(decideRefund(p, ask('rf_d', 4000), now).kind).toBe('accepted');
    const over = decideRefund(p, ask('rf_d', 4001), now);
    expect(over).toMatchObject({ kind: 'rejected', refund: { id: 'rf_d', status: 'REJECTED', rejectionReason: 'EXCEEDS_CAPTURED', amount: USD(4001) } });
  });

  it('rejects a refund of a payment not captured, or already refunded in full, as NOT_CAPTURED', () => {
    for (const status of ['PENDING', 'AUTHORIZED', 'DECLINED', 'VOIDED', 'REFUNDED', 'NOT_REQUESTED'] as const) {
      expect(decideRefund(payment({ status, amount: USD(10_000) }), ask('rf_x', 100), now)).toMatchObject({ kind: 'rejected', refund: { rejectionReason: 'NOT_CAPTURED' } });
    }
  });

  it('rejects another currency, and knows no payment as UNKNOWN_PAYMENT', () => {
    expect(decideRefund(captured(), ask('rf_x', 100, 'EUR'), now)).toMatchObject({ kind: 'rejected', refund: { rejectionReason: 'CURRENCY_MISMATCH' } });
    expect(decideRefund(null, ask('rf_x', 100), now)).toEqual({ kind: 'unknown-payment' });
  });

  it('answers a refund id seen before as a duplicate, whatever its answer was and whatever it asks now', () => {
    const p = captured([refund('rf_a', 3000, 'SUCCEEDED'), refund('rf_b', 9000, 'REJECTED'), refund('rf_c', 1000, 'PENDING')]);
    for (const id of ['rf_a', 'rf_b', 'rf_c']) expect(decideRefund(p, ask(id, 1), now).kind).toBe('duplicate');
    // even once the payment is refunded in full, a duplicate stays a duplicate (not a rejection)
    expect(decideRefund({ ...p, status: 'REFUNDED' }, ask('rf_a', 3000), now).kind).toBe('duplicate');
  });

  it('pays PENDING refunds back oldest first, before the remainder of a cancelled order', () => {
    const p = captured([refund('rf_a', 1000, 'SUCCEEDED'), refund('rf_b', 2000, 'PENDING'), refund('rf_c', 500, 'PENDING')], { orderCancelled: true });
    expect(pendingAction(p, now)).toEqual({ kind: 'refund', refund: p.refunds![1] });
    expect(pendingAction(captured([refund('rf_a', 1000, 'REJECTED')]), now)).toBeNull(); // nothing pending, not cancelled
  });

  it('refunds only the remainder when a captured order is cancelled after partial refunds', () => {
    const step = pendingAction(captured([refund('rf_a', 3000, 'SUCCEEDED'), refund('rf_b', 9000, 'REJECTED')], { orderCancelled: true }), now);
    expect(step).toEqual({ kind: 'refund', refund: { id: 'rf_cancel_ord_1', amount: USD(7000), status: 'PENDING', rejectionReason: null, ticketId: null, requestedAt: now, refundedAt: null } });
    // without earlier refunds (and on payments stored before refunds existed) it is the whole capture
    const legacy = captured([], { orderCancelled: true });
    delete legacy.refunds;
    expect(pendingAction(legacy, now)).toMatchObject({ kind: 'refund', refund: { id: 'rf_cancel_ord_1', amount: USD(10_000) } });
  });

  it('calls for no provider step when nothing remains, or the cancellation refunded already', () => {
    expect(pendingAction(captured([refund('rf_a', 10_000, 'SUCCEEDED')], { status: 'REFUNDED', orderCancelled: true }), now)).toBeNull();
    expect(pendingAction(captured([refund('rf_a', 10_000, 'SUCCEEDED')], { orderCancelled: true }), now)).toBeNull();
    expect(pendingAction(captured([refund('rf_cancel_ord_1', 4000, 'SUCCEEDED')], { orderCancelled: true }), now)).toBeNull();
  });

  it('settles a refund: CAPTURED and PARTIALLY_REFUNDED until everything is paid back, then REFUNDED', () => {
    const p = captured([refund('rf_a', 3000, 'PENDING'), refund('rf_b', 7000, 'PENDING')]);
    const first = refundSucceeded(p, 'rf_a', now)!;
    expect(first).toMatchObject({ status: 'CAPTURED', refundedTotal: 3000, fullyRefunded: false, refund: { id: 'rf_a', status: 'SUCCEEDED', refundedAt: now } });
    const afterFirst = evolve(p, { status: first.status, refunds: first.refunds }, now);
    expect(apiStatusOf(afterFirst as PaymentRecord & { status: 'CAPTURED' })).toBe('PARTIALLY_REFUNDED');
    expect(apiStatusOf(p as PaymentRecord & { status: 'CAPTURED' })).toBe('CAPTURED'); // pending refunds paid nothing back yet
    const second = refundSucceeded(afterFirst, 'rf_b', now)!;
    expect(second).toMatchObject({ status: 'REFUNDED', refundedTotal: 10_000, fullyRefunded: true });
    expect(refundSucceeded(afterFirst, 'rf_a', now)).toBeNull(); // settled already
    expect(refundSucceeded(afterFirst, 'rf_nope', now)).toBeNull();
  });

  it('counts a payment refunded before partial refunds existed as refunded in full', () => {
    const legacy = payment({ status: 'REFUNDED', amount: USD(2599) });
    delete legacy.refunds;
    expect(refundedAmount(legacy)).toBe(2599);
    expect(withRefund(legacy, refund('rf_a', 1, 'PENDING'))).toHaveLength(1);
  });

  it('records UNKNOWN_PAYMENT answers once per refund id', () => {
    const first = withUnknownPaymentRefund(null, ask('rf_a', 100), now)!;
    expect(first).toMatchObject({ _id: 'pay_ord_1', version: 1, refunds: [{ id: 'rf_a' }] });
    expect(withUnknownPaymentRefund(first, ask('rf_a', 100), now)).toBeNull();
    const second = withUnknownPaymentRefund(first, ask('rf_b', 100), now)!;
    expect(second.version).toBe(2);
    expect(hasUnknownPaymentRefund(second, 'rf_b')).toBe(true);
    expect(hasUnknownPaymentRefund(null, 'rf_b')).toBe(false);
  });

  it('records a refund made at the provider for what none of ours accounts for, as a SUCCEEDED entry', () => {
    const report = (eventId: string, amount: number, currencyCode = 'USD') => ({ eventId, amountRefunded: { amount, currencyCode }, providerRefundId: 're_1' });
    const p = captured([refund('rf_a', 3000, 'SUCCEEDED')]);
    const d = decideProviderRefund(p, report('evt_1', 5000), now);
    expect(d).toMatchObject({ kind: 'apply', status: 'CAPTURED', refundedTotal: 5000, fullyRefunded: false });
    expect(d.kind === 'apply' && d.refund).toEqual({ id: 'rf_provider_evt_1', amount: USD(2000), status: 'SUCCEEDED', rejectionReason: null, ticketId: null, requestedAt: now, refundedAt: now, source: 'provider', providerRefundId: 're_1' });
    const after = evolve(p, { status: (d as { status: 'CAPTURED' }).status, refunds: (d as { refunds: PaymentRefund[] }).refunds }, now);
    // the same event again, or another with the same (or a smaller, stale) cumulative amount: nothing more
    expect(decideProviderRefund(after, report('evt_1', 5000), now)).toMatchObject({ kind: 'applied-before', refund: { id: 'rf_provider_evt_1' } });
    expect(decideProviderRefund(after, report('evt_2', 5000), now).kind).toBe('record-only');
    expect(decideProviderRefund(after, report('evt_0', 4000), now).kind).toBe('record-only');
    // everything: REFUNDED, never more than the capture
    expect(decideProviderRefund(after, report('evt_3', 99_999), now)).toMatchObject({ kind: 'apply', refund: { amount: USD(5000) }, status: 'REFUNDED', refundedTotal: 10_000, fullyRefunded: true });
  });

  it('counts our refunds in flight against a provider refund, and applies only to a captured payment in its currency', () => {
    const report = (amount: number, currencyCode = 'USD') => ({ eventId: 'evt_1', amountRefunded: { amount, currencyCode }, providerRefundId: null });
    // our PENDING 3000 may be what the provider reports: nothing recorded twice
    const inFlight = captured([refund('rf_a', 3000, 'PENDING')]);
    expect(decideProviderRefund(inFlight, report(3000), now).kind).toBe('record-only');
    expect(decideProviderRefund(inFlight, report(4000), now)).toMatchObject({ kind: 'apply', refund: { amount: USD(1000) }, refundedTotal: 1000 });
    expect(decideProviderRefund(captured(), report(1000, 'EUR'), now).kind).toBe('record-only');
    for (const status of ['PENDING', 'AUTHORIZED', 'DECLINED', 'VOIDED', 'REFUNDED', 'NOT_REQUESTED'] as const) {
      expect(decideProviderRefund(payment({ status, amount: USD(10_000) }), report(1000), now).kind).toBe('record-only');
    }
  });

  it('voids on a provider cancellation only an authorization of a cancelled order', () => {
    expect(decideProviderCancel(payment({ status: 'AUTHORIZED', orderCancelled: true }))).toEqual({ kind: 'apply' });
    // not cancelled: orders would keep (or reach) CONFIRMED without a payment
    expect(decideProviderCancel(payment({ status: 'AUTHORIZED', orderCancelled: false })).kind).toBe('record-only');
    expect(decideProviderCancel(payment({ status: 'AUTHORIZED', captureRequested: true })).kind).toBe('record-only');
    for (const status of ['PENDING', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED', 'NOT_REQUESTED'] as const) {
      expect(decideProviderCancel(payment({ status, orderCancelled: true })).kind).toBe('record-only');
    }
  });

  it('reads the order back from a payment id', () => {
    expect(orderIdOfPayment('pay_ord_1')).toBe('ord_1');
    expect(orderIdOfPayment('ord_1')).toBeNull();
    expect(orderIdOfPayment('pay_')).toBeNull();
  });
});

describe('config', () => {
  const base = { ROUTER_SECRET: 'x'.repeat(16), MONGO_URL: 'mongodb://localhost/x' };
  it('defaults to the test provider without delay', () => {
    const c = loadPaymentsConfig(base);
    expect(c).toMatchObject({ provider: 'test', providerDelayMs: 0, port: 4006 });
  });
  it('names a bad provider or delay', () => {
    expect(() => loadPaymentsConfig({ ...base, PAYMENTS_PROVIDER: 'stripe' })).toThrow(/PAYMENTS_PROVIDER/);
    expect(() => loadPaymentsConfig({ ...base, PAYMENTS_PROVIDER_DELAY_MS: '-1' })).toThrow(/PAYMENTS_PROVIDER_DELAY_MS/);
    expect(loadPaymentsConfig({ ...base, PAYMENTS_PROVIDER_DELAY_MS: '250' }).providerDelayMs).toBe(250);
  });
});

describe('payments configuration', () => {
  const base = { ROUTER_SECRET: 'x'.repeat(32), MONGO_URL: 'mongodb://localhost/x', PAYMENTS_PROVIDER: 'test' };
  it('refuses the test provider in production unless the deployment says it is a staging channel', () => {
    expect(() => loadPaymentsConfig({ ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadPaymentsConfig({ ...base, NODE_ENV: 'production' })).toThrow(/PAYMENTS_ALLOW_TEST_PROVIDER/);
    expect(loadPaymentsConfig({ ...base, NODE_ENV: 'production', PAYMENTS_ALLOW_TEST_PROVIDER: 'true' }).provider).toBe('test');
    expect(loadPaymentsConfig({ ...base, NODE_ENV: 'development' }).provider).toBe('test');
  });
});
