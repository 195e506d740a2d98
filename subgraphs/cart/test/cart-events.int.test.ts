import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters, makeEnvelope } from '@commerce/events';
import { ProductCreated } from '@commerce/events/contracts';
import { callInternal, CONTEXT_HEADER, generateRouterKeyPair, newId, signInternalContext } from '@commerce/platform';
import { CUSTOMER, eventually, testRouterContext } from '@commerce/testing';
import { ADD, CART, CartHarness, REMOVE, UPDATE } from './helpers.ts';

const t = new CartHarness();
const OTHER = { id: 'cust_other', roles: ['CUSTOMER'] as Array<'CUSTOMER' | 'ADMIN'> };

beforeAll(async () => {
  await t.start();
});
afterAll(async () => {
  await t.stop();
});

const subtotal = async (cartId: string, user = null as typeof CUSTOMER | null) => (await t.call(CART, { id: cartId }, user)).data!.cart.subtotal.amount as string;
/** what orders does at checkout: forwards the context the router signed for its placeOrder request (aud orders) */
const internalCart = async (cartId: string, user: typeof CUSTOMER | null) =>
  callInternal<any>(t.svc.url, `/internal/cart?id=${encodeURIComponent(cartId)}`, await testRouterContext('orders', user));

describe('prices and availability come from events', () => {
  it('a price change reaches an open cart\'s subtotal through variant-price-changed; an older version is ignored', async () => {
    const v = await t.variant({ amount: 1000, stock: 10 });
    const cartId = await t.newCart();
    await t.call(ADD, { cartId, variantId: v.id, quantity: 3 });
    expect(await subtotal(cartId)).toBe('30.00');

    await t.publishPrice(v, 1250, 3);
    await eventually(async () => (await subtotal(cartId)) === '37.50');
    const line = (await t.call(CART, { id: cartId })).data!.cart.lines[0];
    expect(line).toMatchObject({ unitPrice: { amount: '12.50' }, lineTotal: { amount: '37.50' } });

    // a late, older price (version 2 < 3), then a marker event on the same subject: once the marker
    // is applied, the older price has been seen too — and ignored
    await t.publishPrice(v, 1, 2);
    const marker = await t.publishProduct();
    await eventually(async () => t.svc.deps.readModel.variant(marker.variants[0]!.id));
    expect(await subtotal(cartId)).toBe('37.50');

    // the stored copy (written by the serial durable consumer) agrees
    const db = t.svc.conn.db!;
    await eventually(async () => ((await db.collection('catalog_variants').findOne({ _id: v.id as never })) as any)?.priceVersion === 3);
    expect(await db.collection('catalog_variants').findOne({ _id: v.id as never })).toMatchObject({ price: { amount: 1250, currencyCode: 'USD' }, sku: v.sku, title: v.title });
  });

  it('availability is the sum over locations, newest stock level version per location', async () => {
    const p = await t.publishProduct();
    const v = p.variants[0]!;
    await t.publishStock(v.id, 2, 1, { locationId: 'loc_a' });
    await t.publishStock(v.id, 5, 3, { locationId: 'loc_b', reserved: 2 });
    await t.publishStock(v.id, 9, 2, { locationId: 'loc_b' }); // older than version 3: ignored
    await eventually(async () => t.svc.deps.readModel.available(v.id) === 5);
    const cartId = await t.newCart();
    const five = await t.call(ADD, { cartId, variantId: v.id, quantity: 5 });
    expect(five.data!.addToCart.userErrors).toEqual([]);
    const six = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 });
    expect(six.data!.addToCart.userErrors).toEqual([{ field: ['quantity'], message: 'Only 5 available', code: 'INSUFFICIENT_STOCK' }]);
    const db = t.svc.conn.db!;
    await eventually(async () => (await db.collection('stock_levels').countDocuments({ variantId: v.id })) === 2);
    await eventually(async () => ((await db.collection('stock_levels').findOne({ _id: `${v.id}@loc_b` as never })) as any)?.version === 3);
  });

  it('a variant priced in another currency than the store\'s is not sold (VARIANT_NOT_FOUND)', async () => {
    const p = await t.publishProduct({ currencyCode: 'EUR' });
    const v = p.variants[0]!;
    await t.publishStock(v.id, 5, 1);
    await eventually(async () => t.svc.deps.readModel.available(v.id) === 5);
    const cartId = await t.newCart();
    const r = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 });
    expect(r.data!.addToCart.userErrors.map((e: any) => e.code)).toEqual(['VARIANT_NOT_FOUND']);
  });

  it('another instance loads the stored read model at start, and follows events it did not store', async () => {
    const v = await t.variant({ amount: 700, stock: 8 });
    const db = t.svc.conn.db!;
    await eventually(async () => (await db.collection('catalog_variants').countDocuments({ _id: v.id as never })) === 1);
    await eventually(async () => (await db.collection('stock_levels').countDocuments({ variantId: v.id })) === 1);
    const second = await t.startAnother();
    // known at once, from the database (its durables are the first instance's: nothing new to store)
    expect(second.deps.readModel.variant(v.id)).toMatchObject({ price: { amount: 700 } });
    expect(second.deps.readModel.available(v.id)).toBe(8);
    // both instances follow every event, whichever instance's durable consumer stores it
    await t.publishPrice(v, 725, 2);
    await t.publishStock(v.id, 6, 2);
    for (const svc of [t.svc, second]) {
      await eventually(async () => svc.deps.readModel.variant(v.id)?.price.amount === 725 && svc.deps.readModel.available(v.id) === 6);
    }
  });
});

describe('internal route for orders: GET /internal/cart', () => {
  it('answers the cart with current prices in minor units to its owner', async () => {
    const v = await t.variant({ amount: 1999, stock: 10 });
    const cartId = await t.newCart(CUSTOMER);
    await t.call(ADD, { cartId, variantId: v.id, quantity: 2 }, CUSTOMER);
    const r = await internalCart(cartId, CUSTOMER);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: cartId,
      customerId: CUSTOMER.id,
      version: 2,
      checkedOut: false,
      orderId: null,
      currencyCode: 'USD',
      lines: [{
        lineId: expect.stringMatching(/^line_/),
        productId: v.productId,
        variantId: v.id,
        sku: v.sku,
        title: v.title,
        variantTitle: 'Variant 0',
        quantity: 2,
        unitPrice: { amount: 1999, currencyCode: 'USD' },
        lineTotal: { amount: 3998, currencyCode: 'USD' },
      }],
      subtotal: { amount: 3998, currencyCode: 'USD' },
    });
    await t.publishPrice(v, 1500, 2);
    await eventually(async () => (await internalCart(cartId, CUSTOMER)).body.lines[0].unitPrice.amount === 1500);
  });

  it('403 for another customer or an anonymous context on a customer cart; 200 for an anonymous cart; 404 when unknown', async () => {
    const owned = await t.newCart(CUSTOMER);
    expect((await internalCart(owned, OTHER)).status).toBe(403);
    expect((await internalCart(owned, null)).status).toBe(403);
    const anonymous = await t.newCart();
    const r = await internalCart(anonymous, OTHER);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: anonymous, customerId: null, lines: [], subtotal: { amount: 0, currencyCode: 'USD' } });
    expect((await internalCart(newId('cart'), CUSTOMER)).status).toBe(404);
    expect((await internalCart('garbage', CUSTOMER)).status).toBe(404);
  });

  it('401 without a context, with a forged one, one signed with another key, or one the router signed for anyone but orders', async () => {
    const cartId = await t.newCart();
    const url = new URL(`/internal/cart?id=${cartId}`, t.svc.url).href;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { [CONTEXT_HEADER]: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' } })).status).toBe(401);
    const otherKey = await signInternalContext(generateRouterKeyPair().signingKey, { user: CUSTOMER, requestId: 'x' }, { audience: 'orders' });
    expect((await fetch(url, { headers: { [CONTEXT_HEADER]: otherKey } })).status).toBe(401);
    // the route's caller is orders: a context for cart's own GraphQL, or for payments, is not forwarded here
    for (const audience of ['cart', 'payments']) {
      expect((await fetch(url, { headers: { [CONTEXT_HEADER]: await testRouterContext(audience) } })).status).toBe(401);
    }
    const good = await testRouterContext('orders');
    expect((await fetch(url, { headers: { [CONTEXT_HEADER]: good } })).status).toBe(200);
  });
});

describe('checkout: order-placed marks the cart checked out', () => {
  it('then the cart refuses every change with CART_CHECKED_OUT; a second order-placed changes nothing', async () => {
    const v = await t.variant({ stock: 10 });
    const cartId = await t.newCart(CUSTOMER);
    const add = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 }, CUSTOMER);
    const lineId = add.data!.addToCart.cart.lines[0].id;
    const orderId = await t.publishOrderPlaced(cartId, CUSTOMER.id);
    await eventually(async () => (await internalCart(cartId, CUSTOMER)).body.checkedOut === true);
    const stored = await t.storedCart(cartId);
    expect(stored).toMatchObject({ status: 'CHECKED_OUT', orderId, version: 3 });
    expect((await t.call(CART, { id: cartId }, CUSTOMER)).data!.cart).toMatchObject({ checkedOut: true, totalQuantity: 1 });

    const tries = [
      ['addToCart', await t.call(ADD, { cartId, variantId: v.id, quantity: 1 }, CUSTOMER)],
      ['updateCartLine', await t.call(UPDATE, { cartId, lineId, quantity: 2 }, CUSTOMER)],
      ['removeCartLine', await t.call(REMOVE, { cartId, lineId }, CUSTOMER)],
    ] as const;
    for (const [field, r] of tries) {
      expect(r.data![field].userErrors.map((e: any) => e.code), field).toEqual(['CART_CHECKED_OUT']);
      expect(r.data![field].cart).toMatchObject({ id: cartId, checkedOut: true, totalQuantity: 1 });
    }

    // the same order again (a new event id) and another order: idempotent, the first order stays
    await t.publishOrderPlaced(cartId, CUSTOMER.id, orderId);
    await t.publishOrderPlaced(cartId, CUSTOMER.id);
    // an order for an unknown cart is acknowledged and ignored
    await t.publishOrderPlaced(newId('cart'), 'cust_x');
    // a marker: once its cart is checked out, the consumer has handled the three events above too
    const later = await t.newCart();
    await t.publishOrderPlaced(later, 'cust_x');
    await eventually(async () => (await t.storedCart(later))?.status === 'CHECKED_OUT');
    expect(await t.storedCart(cartId)).toEqual(stored);
  });
});

describe('a catalog event that breaks its contract', () => {
  // nats-server 2.9 ignores `+TERM <reason>`: the consumer terms without a reason, or a serial
  // consumer would be blocked by the parked message (this test catches that).
  it('parks a catalog event that breaks its contract at once, without holding up the ones after it', async () => {
    const bad = makeEnvelope(ProductCreated.type, { id: newId('prod'), variants: 'not a list' }, { aggregateId: 'prod_bad' });
    await t.bus.publish(bad);
    const started = Date.now();
    const next = await t.publishProduct();
    const db = t.svc.conn.db!;
    await eventually(async () => (await db.collection('catalog_variants').countDocuments({ _id: next.variants[0]!.id as never })) === 1, 3000);
    expect(Date.now() - started).toBeLessThan(2000); // no retry backoff in between
    const letters = await listDeadLetters(db as never);
    expect(letters.find((l) => l.eventId === bad.id)).toMatchObject({ consumer: expect.stringContaining('cart-catalog'), error: expect.stringContaining('contract violation') });
  });
});
