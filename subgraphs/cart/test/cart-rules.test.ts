import { describe, expect, it } from 'vitest';
import { CART_LIMITS, canAccess, newCart, type CartRecord } from '../src/domain/cart.ts';
import { addLine, checkAddQuantity, checkLineQuantity, checkOut, removeLine, setLineQuantity, type Decision } from '../src/domain/cart-rules.ts';
import { priceCart } from '../src/domain/pricing.ts';
import { CartReadModel, mergeVariantFacts, type VariantFacts } from '../src/domain/read-model.ts';

const now = new Date('2026-01-01T00:00:00Z');
const variant = (id: string, amount = 1000, priceVersion = 1): VariantFacts => ({ id, productId: 'prod_1', sku: `SKU-${id}`, title: 'Shirt', variantTitle: 'L', price: { amount, currencyCode: 'USD' }, priceVersion });
const next = (d: Decision): CartRecord => {
  if (!d.ok || !d.next) throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  return d.next;
};
const codes = (d: Decision) => (d.ok ? [] : d.errors.map((e) => e.code));

describe('cart rules', () => {
  const empty = newCart('cart_x', null, now);

  it('adds a line, and grows it when the variant is added again', () => {
    const one = next(addLine(empty, { variant: variant('v1'), quantity: 2, available: 10, newLineId: 'line_a', now }));
    expect(one.version).toBe(2);
    expect(one.lines).toMatchObject([{ id: 'line_a', variantId: 'v1', quantity: 2, priceAtAdd: { amount: 1000, currencyCode: 'USD' } }]);
    const two = next(addLine(one, { variant: variant('v1'), quantity: 3, available: 10, newLineId: 'line_b', now }));
    expect(two.lines).toMatchObject([{ id: 'line_a', quantity: 5 }]);
    expect(two.version).toBe(3);
  });

  it('checks the line total after the change against availability (unknown = 0)', () => {
    const one = next(addLine(empty, { variant: variant('v1'), quantity: 2, available: 3, newLineId: 'line_a', now }));
    expect(codes(addLine(one, { variant: variant('v1'), quantity: 2, available: 3, newLineId: 'line_b', now }))).toEqual(['INSUFFICIENT_STOCK']);
    expect(codes(addLine(empty, { variant: variant('v2'), quantity: 1, available: 0, newLineId: 'line_b', now }))).toEqual(['INSUFFICIENT_STOCK']);
  });

  it('validates quantities', () => {
    expect(checkAddQuantity(0)?.code).toBe('INVALID_QUANTITY');
    expect(checkAddQuantity(-1)?.code).toBe('INVALID_QUANTITY');
    expect(checkAddQuantity(CART_LIMITS.lineQuantity + 1)?.code).toBe('INVALID_QUANTITY');
    expect(checkAddQuantity(1)).toBeUndefined();
    expect(checkLineQuantity(0)).toBeUndefined();
    expect(checkLineQuantity(-1)?.code).toBe('INVALID_QUANTITY');
  });

  it('sets a quantity: 0 removes, only an increase is checked against availability', () => {
    const cart = next(addLine(empty, { variant: variant('v1'), quantity: 4, available: 4, newLineId: 'line_a', now }));
    const available = () => 2; // stock dropped since
    expect(codes(setLineQuantity(cart, { lineId: 'line_a', quantity: 5, available, now }))).toEqual(['INSUFFICIENT_STOCK']);
    expect(next(setLineQuantity(cart, { lineId: 'line_a', quantity: 3, available, now })).lines[0]!.quantity).toBe(3);
    expect(next(setLineQuantity(cart, { lineId: 'line_a', quantity: 0, available, now })).lines).toEqual([]);
    expect(setLineQuantity(cart, { lineId: 'line_a', quantity: 4, available, now })).toEqual({ ok: true, next: null });
    expect(codes(setLineQuantity(cart, { lineId: 'line_nope', quantity: 1, available, now }))).toEqual(['LINE_NOT_FOUND']);
    expect(codes(removeLine(cart, { lineId: 'line_nope', now }))).toEqual(['LINE_NOT_FOUND']);
  });

  it('refuses every change once checked out; checking out twice changes nothing', () => {
    const cart = next(addLine(empty, { variant: variant('v1'), quantity: 1, available: 5, newLineId: 'line_a', now }));
    const done = checkOut(cart, { orderId: 'ord_1', now })!;
    expect(done).toMatchObject({ status: 'CHECKED_OUT', orderId: 'ord_1', version: cart.version + 1 });
    expect(checkOut(done, { orderId: 'ord_2', now })).toBeNull();
    expect(codes(addLine(done, { variant: variant('v2'), quantity: 1, available: 5, newLineId: 'line_b', now }))).toEqual(['CART_CHECKED_OUT']);
    expect(codes(setLineQuantity(done, { lineId: 'line_a', quantity: 2, available: () => 5, now }))).toEqual(['CART_CHECKED_OUT']);
    expect(codes(removeLine(done, { lineId: 'line_a', now }))).toEqual(['CART_CHECKED_OUT']);
  });

  it('caps the number of lines', () => {
    let cart = empty;
    for (let i = 0; i < CART_LIMITS.lines; i++) cart = next(addLine(cart, { variant: variant(`v${i}`), quantity: 1, available: 1, newLineId: `line_${i}`, now }));
    expect(codes(addLine(cart, { variant: variant('extra'), quantity: 1, available: 1, newLineId: 'line_x', now }))).toEqual(['TOO_MANY_LINES']);
  });

  it('lets only the owner of a customer cart in; anonymous carts are open', () => {
    const owned = newCart('cart_y', { id: 'cust_a', roles: ['CUSTOMER'] });
    expect(canAccess(owned, { id: 'cust_a', roles: ['CUSTOMER'] })).toBe(true);
    expect(canAccess(owned, { id: 'cust_b', roles: ['CUSTOMER', 'ADMIN'] })).toBe(false);
    expect(canAccess(owned, null)).toBe(false);
    expect(canAccess(empty, { id: 'cust_b', roles: ['CUSTOMER'] })).toBe(true);
    expect(canAccess(empty, null)).toBe(true);
  });
});

describe('read model', () => {
  it('keeps the price of the highest product version, in any order, and fills in titles', () => {
    const m = new CartReadModel();
    m.applyVariant({ ...variant('v1', 1500, 3), title: null, variantTitle: null });
    expect(m.applyVariant(variant('v1', 1000, 1))).toBe(true); // titles filled in, price kept
    expect(m.variant('v1')).toMatchObject({ price: { amount: 1500 }, priceVersion: 3, title: 'Shirt', variantTitle: 'L' });
    expect(m.applyVariant(variant('v1', 1000, 1))).toBe(false);
    expect(mergeVariantFacts(m.variant('v1'), variant('v1', 900, 4))).toMatchObject({ price: { amount: 900 }, priceVersion: 4 });
  });

  it('sums availability over locations, each newest version winning; unknown is 0', () => {
    const m = new CartReadModel();
    expect(m.available('v1')).toBe(0);
    m.applyStock('v1', 'loc_a', { available: 2, version: 1 });
    m.applyStock('v1', 'loc_b', { available: 3, version: 4 });
    expect(m.available('v1')).toBe(5);
    expect(m.applyStock('v1', 'loc_b', { available: 9, version: 4 })).toBe(false);
    m.applyStock('v1', 'loc_a', { available: 0, version: 2 });
    expect(m.available('v1')).toBe(3);
  });

  it('prices a cart with current prices', () => {
    const m = new CartReadModel();
    m.applyVariant(variant('v1', 1000));
    let cart = next(addLine(newCart('cart_z', null), { variant: variant('v1', 1000), quantity: 3, available: 5, newLineId: 'line_a', now }));
    cart = next(addLine(cart, { variant: variant('v2', 250), quantity: 2, available: 5, newLineId: 'line_b', now })); // v2 unknown to the model
    expect(priceCart(cart, m, 'USD')).toMatchObject({ subtotal: { amount: 3500, currencyCode: 'USD' }, totalQuantity: 5 });
    m.applyVariant(variant('v1', 1250, 2));
    const priced = priceCart(cart, m, 'USD');
    expect(priced.subtotal.amount).toBe(4250);
    expect(priced.lines[0]).toMatchObject({ unitPrice: { amount: 1250 }, lineTotal: { amount: 3750 }, title: 'Shirt' });
    expect(priced.lines[1]).toMatchObject({ unitPrice: { amount: 250 }, title: 'SKU-v2' });
  });
});
