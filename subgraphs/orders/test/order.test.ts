import { describe, expect, it } from 'vitest';
import { applyChange, foldOrder, refundIdOf, refundRecording, type OrderChange, type OrderState } from '../src/domain/order.ts';
import { orderIdFor } from '../src/domain/order-id.ts';
import { validatePlaceOrder } from '../src/domain/place-order.ts';

const placed: OrderChange = {
  type: 'OrderPlaced',
  at: '2026-11-25T10:00:00.000Z',
  data: {
    customerId: 'cust_1', cartId: 'cart_1', idempotencyKey: 'k', paymentTokenRef: 'ptok_0123456789abcdef0123456789abcdef',
    lines: [{ productId: 'prod_1', variantId: 'var_1', sku: 'S', title: 'T', quantity: 2, unitPrice: { amount: 1250, currencyCode: 'USD' } }],
    total: { amount: 2500, currencyCode: 'USD' },
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' },
  },
};

describe('order aggregate', () => {
  it('folds a stream into the current state, one version per change', () => {
    const s = foldOrder('ord_x', [
      placed,
      { type: 'StockReserved', at: '2026-11-25T10:00:01.000Z', data: { reservationId: 'res_x' } },
      { type: 'OrderConfirmed', at: '2026-11-25T10:00:02.000Z', data: { paymentId: 'pay_x' } },
    ])!;
    expect(s).toMatchObject({ version: 3, status: 'CONFIRMED', stockReserved: true, paymentRequested: true, paymentAuthorized: true, paymentTokenRef: null });
  });

  it('holds only the payment token\'s reference, and drops it once payment is requested, and on cancellation', () => {
    const p = applyChange(null, placed, 'ord_x');
    expect(p.paymentTokenRef).toBe('ptok_0123456789abcdef0123456789abcdef');
    expect(p).not.toHaveProperty('paymentToken');
    expect(applyChange(p, { type: 'StockReserved', at: placed.at, data: { reservationId: 'r' } }, 'ord_x').paymentTokenRef).toBeNull();
    expect(applyChange(p, { type: 'OrderCancelled', at: placed.at, data: { reason: 'TIMEOUT', wasConfirmed: false } }, 'ord_x')).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT', paymentTokenRef: null });
  });

  it('folds a stream written before the claim check (the token in OrderPlaced), dropping the token like the reference', () => {
    const { paymentTokenRef: _ref, ...data } = placed.data as Extract<OrderChange, { type: 'OrderPlaced' }>['data'];
    const old: OrderChange = { ...placed, type: 'OrderPlaced', data: { ...data, paymentToken: 'tok_visa' } };
    const p = applyChange(null, old, 'ord_x');
    expect(p).toMatchObject({ paymentToken: 'tok_visa', paymentTokenRef: null });
    const requested = applyChange(p, { type: 'StockReserved', at: placed.at, data: { reservationId: 'r' } }, 'ord_x');
    expect(requested).not.toHaveProperty('paymentToken');
    expect(JSON.stringify(requested)).not.toContain('tok_visa');
    expect(applyChange(p, { type: 'OrderCancelled', at: placed.at, data: { reason: 'TIMEOUT', wasConfirmed: false } }, 'ord_x')).not.toHaveProperty('paymentToken');
  });

  it('refuses a stream that does not start with OrderPlaced, or places twice', () => {
    expect(() => foldOrder('ord_x', [{ type: 'StockReserved', at: placed.at, data: { reservationId: 'r' } }])).toThrow();
    expect(() => foldOrder('ord_x', [placed, placed])).toThrow();
  });

  it('records a refund once per refund id, keeping a running total', () => {
    const confirmed = foldOrder('ord_x', [placed, { type: 'StockReserved', at: placed.at, data: { reservationId: 'r' } }, { type: 'OrderConfirmed', at: placed.at, data: { paymentId: 'pay_x' } }])!;
    expect(confirmed).toMatchObject({ refunds: [], refundedTotal: { amount: 0, currencyCode: 'USD' } });
    const change = refundRecording(confirmed, { refundId: 'rf_1', amount: { amount: 700, currencyCode: 'USD' } }, '2026-11-26T10:00:00.000Z')!;
    expect(change).toEqual({ type: 'RefundRecorded', at: '2026-11-26T10:00:00.000Z', data: { refundId: 'rf_1', amount: { amount: 700, currencyCode: 'USD' } } });
    const once = applyChange(confirmed, change, 'ord_x');
    expect(once).toMatchObject({ version: 4, status: 'CONFIRMED', refunds: [{ id: 'rf_1', amount: { amount: 700, currencyCode: 'USD' }, refundedAt: new Date(change.at) }], refundedTotal: { amount: 700, currencyCode: 'USD' } });
    expect(refundRecording(once, { refundId: 'rf_1', amount: { amount: 700, currencyCode: 'USD' } }, change.at)).toBeNull(); // delivered twice: no change
    const twice = applyChange(once, refundRecording(once, { refundId: 'rf_2', amount: { amount: 1800, currencyCode: 'USD' } }, change.at)!, 'ord_x');
    expect(twice.refundedTotal).toEqual({ amount: 2500, currencyCode: 'USD' });
    expect(() => refundRecording(twice, { refundId: 'rf_3', amount: { amount: 1, currencyCode: 'EUR' } }, change.at)).toThrow(/EUR/);
  });

  it('reads an old payment-refunded (no refundId) as the cancellation refund, and old snapshots as without refunds', () => {
    expect(refundIdOf({ orderId: 'ord_x' })).toBe('rf_cancel_ord_x');
    expect(refundIdOf({ orderId: 'ord_x', refundId: 'rf_1' })).toBe('rf_1');
    const old = applyChange(null, placed, 'ord_x') as OrderState;
    delete old.refunds;
    delete old.refundedTotal;
    const next = applyChange(old, refundRecording(old, { refundId: 'rf_cancel_ord_x', amount: { amount: 2500, currencyCode: 'USD' } }, placed.at)!, 'ord_x');
    expect(next.refunds).toHaveLength(1);
    expect(next.refundedTotal).toEqual({ amount: 2500, currencyCode: 'USD' });
  });

  it('derives one order id per customer and idempotency key', () => {
    expect(orderIdFor('cust_1', 'k1')).toBe(orderIdFor('cust_1', 'k1'));
    expect(orderIdFor('cust_1', 'k1')).not.toBe(orderIdFor('cust_2', 'k1'));
    expect(orderIdFor('cust_1', 'k1')).toMatch(/^ord_[0-9a-f]{25}$/);
  });

  it('validates the checkout input', () => {
    const good = { cartId: 'cart_0000000000000000000000000', paymentToken: 'tok_visa', idempotencyKey: 'abc-1', shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' } };
    expect(validatePlaceOrder(good)).toEqual([]);
    const codes = (i: object) => validatePlaceOrder({ ...good, ...i }).map((e) => e.code);
    expect(codes({ shippingAddress: { ...good.shippingAddress, country: 'XX' } })).toEqual(['INVALID_COUNTRY']);
    expect(codes({ shippingAddress: { ...good.shippingAddress, country: 'usa' } })).toEqual(['INVALID_COUNTRY']);
    expect(codes({ shippingAddress: { ...good.shippingAddress, name: '' } })).toEqual(['INVALID_ADDRESS']);
    expect(codes({ idempotencyKey: '' })).toEqual(['INVALID_IDEMPOTENCY_KEY']);
    expect(codes({ idempotencyKey: 'x'.repeat(101) })).toEqual(['INVALID_IDEMPOTENCY_KEY']);
    expect(codes({ paymentToken: '4242 4242 4242 4242' })).toEqual(['INVALID_PAYMENT_TOKEN']);
    expect(codes({ cartId: 'nope' })).toEqual(['CART_NOT_FOUND']);
  });
});
