import { describe, expect, it } from 'vitest';
import { decideAuthorization, paymentMismatches } from '../src/domain/payment-check.ts';
import type { OrderState } from '../src/domain/order.ts';

const orderId = 'ord_0123456789abcdef012345678';
const USD = (amount: number) => ({ amount, currencyCode: 'USD' });
/** an order whose payment was requested and is awaited */
const awaiting: Pick<OrderState, '_id' | 'total' | 'status' | 'stockReserved' | 'paymentRequested'> = { _id: orderId, total: USD(2500), status: 'PENDING', stockReserved: true, paymentRequested: true };
const genuine = { orderId, paymentId: `pay_${orderId}`, amount: USD(2500) };

describe('which payment-authorized confirms an order', () => {
  it('confirms a PENDING order on its own payment for exactly its total', () => {
    expect(paymentMismatches(awaiting, genuine)).toEqual([]);
    expect(decideAuthorization(awaiting, genuine)).toEqual({ kind: 'confirm' });
  });

  it('rejects a wrong amount, a wrong currency, another payment id, and says which', () => {
    expect(decideAuthorization(awaiting, { ...genuine, amount: USD(1) })).toEqual({ kind: 'reject', mismatches: ['amount'] });
    expect(decideAuthorization(awaiting, { ...genuine, amount: USD(2501) })).toEqual({ kind: 'reject', mismatches: ['amount'] });
    expect(decideAuthorization(awaiting, { ...genuine, amount: { amount: 2500, currencyCode: 'EUR' } })).toEqual({ kind: 'reject', mismatches: ['currency'] });
    expect(decideAuthorization(awaiting, { ...genuine, paymentId: 'pay_1' })).toEqual({ kind: 'reject', mismatches: ['payment_id'] });
    // another order's payment, even for the same amount
    expect(decideAuthorization(awaiting, { ...genuine, paymentId: 'pay_ord_ffffffffffffffffffffffff0' })).toEqual({ kind: 'reject', mismatches: ['payment_id'] });
    // an event about another order that names this order's payment
    expect(decideAuthorization(awaiting, { ...genuine, orderId: 'ord_other' })).toEqual({ kind: 'reject', mismatches: ['payment_id'] });
    expect(decideAuthorization(awaiting, { orderId, paymentId: 'x', amount: { amount: 0, currencyCode: 'EUR' } })).toEqual({ kind: 'reject', mismatches: ['payment_id', 'amount', 'currency'] });
  });

  it('rejects a mismatch in any state (reported), and ignores a matching one the order has no use for', () => {
    for (const status of ['PENDING', 'CONFIRMED', 'CANCELLED'] as const) {
      expect(decideAuthorization({ ...awaiting, status }, { ...genuine, amount: USD(1) }).kind).toBe('reject');
    }
    // redelivered after confirmation, late after a cancellation: no change, nothing to report
    expect(decideAuthorization({ ...awaiting, status: 'CONFIRMED' }, genuine)).toEqual({ kind: 'ignore' });
    expect(decideAuthorization({ ...awaiting, status: 'CANCELLED' }, genuine)).toEqual({ kind: 'ignore' });
    // before payment was requested (stock not yet reserved) nothing was authorized for it
    expect(decideAuthorization({ ...awaiting, stockReserved: false, paymentRequested: false }, genuine)).toEqual({ kind: 'ignore' });
  });

  it('decides the same on every redelivery (pure)', () => {
    const forged = { ...genuine, amount: USD(1) };
    expect(decideAuthorization(awaiting, forged)).toEqual(decideAuthorization(awaiting, forged));
    expect(decideAuthorization(awaiting, genuine)).toEqual(decideAuthorization(awaiting, genuine));
  });
});
