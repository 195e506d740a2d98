import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from '../src/config.ts';
import { canReadPayment, cancelledBeforeRequest, evolve, pendingAction, requested, type PaymentRecord } from '../src/domain/payment.ts';
import { testTokenOutcome } from '../src/domain/test-provider.ts';

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
    expect(pendingAction(payment({}))).toBeNull(); // PENDING: only the authorizer acts
    expect(pendingAction(payment({ status: 'AUTHORIZED' }))).toBeNull();
    expect(pendingAction(payment({ status: 'AUTHORIZED', captureRequested: true }))).toBe('capture');
    expect(pendingAction(payment({ status: 'AUTHORIZED', orderCancelled: true }))).toBe('void');
    expect(pendingAction(payment({ status: 'AUTHORIZED', orderCancelled: true, captureRequested: true }))).toBe('void');
    expect(pendingAction(payment({ status: 'CAPTURED', orderCancelled: true }))).toBe('refund');
    expect(pendingAction(payment({ status: 'CAPTURED', captureRequested: true }))).toBeNull();
    for (const status of ['DECLINED', 'VOIDED', 'REFUNDED'] as const) expect(pendingAction(payment({ status, orderCancelled: true, captureRequested: true }))).toBeNull();
    expect(pendingAction(cancelledBeforeRequest('ord_1', 'cust_1', now))).toBeNull();
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
