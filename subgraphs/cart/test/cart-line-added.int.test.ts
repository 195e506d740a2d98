import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@commerce/events';
import { CartLineAdded } from '@commerce/events/contracts';
import { CUSTOMER, eventually, observeEvents, waitQuiet, type EventObserver, type OutboxDb } from '@commerce/testing';
import { ADD, CartHarness, UPDATE } from './helpers.ts';

const t = new CartHarness();
const OTHER = { id: 'cust_other', roles: ['CUSTOMER'] as Array<'CUSTOMER' | 'ADMIN'> };
/** every cart event on the stream since the start, copies included (the stream is shared: filter by cart) */
let observer: EventObserver;

beforeAll(async () => {
  await t.start();
  observer = await observeEvents({ bus: t.bus, subject: 'commerce.cart.>' });
});
afterAll(async () => {
  await observer?.stop();
  await t.stop();
});

/** everything the cart service committed is published, its consumers are done, and the observer has seen it all */
const quiet = () => waitQuiet({ bus: t.bus, durables: [...t.svc.durables, observer], dbs: [t.svc.conn.db as unknown as OutboxDb] });
const published = (cartId: string) => observer.seen.filter((e) => e.type === CartLineAdded.type && e.aggregateId === cartId).map((e) => CartLineAdded.parse(e));
const outboxEntries = (cartId: string) =>
  t.svc.conn.db!.collection<OutboxEntry>('outbox').find({ aggregateId: cartId }).sort({ version: 1 }).toArray();

describe('addToCart publishes CartLineAdded through the outbox', () => {
  it('one event per committed add, with the quantity added by the call and the current unit price', async () => {
    const v = await t.variant({ amount: 1250, stock: 10 });
    const cartId = await t.newCart();
    const before = Date.now();
    const first = await t.call(ADD, { cartId, variantId: v.id, quantity: 2 });
    expect(first.data!.addToCart.userErrors).toEqual([]);
    await eventually(async () => published(cartId).length === 1);
    const [e] = published(cartId);
    expect(e!.data).toEqual({
      cartId,
      customerId: null,
      productId: v.productId,
      variantId: v.id,
      quantity: 2,
      unitPrice: { amount: 1250, currencyCode: 'USD' },
      addedAt: e!.data.addedAt,
    });
    expect(Date.parse(e!.data.addedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(e!.data.addedAt)).toBeLessThanOrEqual(Date.now());
    expect(e!.aggregateId).toBe(cartId);

    // the same variant again grows the line: the event says how many were added now (1), not 3
    const again = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 });
    expect(again.data!.addToCart.cart.lines[0].quantity).toBe(3);
    await eventually(async () => published(cartId).length === 2);
    expect(published(cartId)[1]!.data).toMatchObject({ cartId, productId: v.productId, variantId: v.id, quantity: 1, unitPrice: { amount: 1250, currencyCode: 'USD' } });

    // each event is in the commit of the version it describes (one outbox entry per version)
    const entries = await outboxEntries(cartId);
    expect(entries.map((x) => [x.version, x.events.map((ev) => ev.type)])).toEqual([
      [1, []],
      [2, [CartLineAdded.type]],
      [3, [CartLineAdded.type]],
    ]);
    expect(entries.flatMap((x) => x.events.map((ev) => ev.id))).toEqual(published(cartId).map((ev) => ev.id));
  });

  it('a customer\'s cart names the customer', async () => {
    const v = await t.variant({ amount: 500, stock: 5 });
    const cartId = await t.newCart(CUSTOMER);
    const r = await t.call(ADD, { cartId, variantId: v.id, quantity: 5 }, CUSTOMER);
    expect(r.data!.addToCart.userErrors).toEqual([]);
    await eventually(async () => published(cartId).length === 1);
    expect(published(cartId)[0]!.data).toMatchObject({ cartId, customerId: CUSTOMER.id, productId: v.productId, variantId: v.id, quantity: 5, unitPrice: { amount: 500, currencyCode: 'USD' } });
  });

  it('a refused add publishes nothing (unknown variant, over stock, bad quantity, someone else\'s cart); other changes neither', async () => {
    const v = await t.variant({ amount: 1000, stock: 3 });
    const cartId = await t.newCart(CUSTOMER);
    const refused = [
      [{ cartId, variantId: 'var_doesnotexist', quantity: 1 }, CUSTOMER, 'VARIANT_NOT_FOUND'],
      [{ cartId, variantId: v.id, quantity: 4 }, CUSTOMER, 'INSUFFICIENT_STOCK'],
      [{ cartId, variantId: v.id, quantity: 0 }, CUSTOMER, 'INVALID_QUANTITY'],
      [{ cartId, variantId: v.id, quantity: 1 }, OTHER, 'CART_NOT_FOUND'],
    ] as const;
    for (const [vars, user, code] of refused) {
      const r = await t.call(ADD, vars, user);
      expect(r.data!.addToCart.userErrors.map((e: any) => e.code), code).toEqual([code]);
    }
    // nothing was committed for the cart beyond its creation
    expect((await outboxEntries(cartId)).map((x) => x.version)).toEqual([1]);

    // a marker: the first add that succeeds. Once its event is seen, any event of the refused
    // calls (published before it, in commit order) would have been seen too.
    const ok = await t.call(ADD, { cartId, variantId: v.id, quantity: 2 }, CUSTOMER);
    expect(ok.data!.addToCart.userErrors).toEqual([]);
    const lineId = ok.data!.addToCart.cart.lines[0].id;
    // the line total would exceed the stock: refused, nothing published
    const over = await t.call(ADD, { cartId, variantId: v.id, quantity: 2 }, CUSTOMER);
    expect(over.data!.addToCart.userErrors.map((e: any) => e.code)).toEqual(['INSUFFICIENT_STOCK']);
    // updateCartLine changes the cart but adds nothing: no CartLineAdded
    const updated = await t.call(UPDATE, { cartId, lineId, quantity: 3 }, CUSTOMER);
    expect(updated.data!.updateCartLine.userErrors).toEqual([]);
    const marker = await t.call(ADD, { cartId, variantId: (await t.variant({ stock: 1 })).id, quantity: 1 }, CUSTOMER);
    expect(marker.data!.addToCart.userErrors).toEqual([]);
    await eventually(async () => published(cartId).length >= 2);
    await quiet(); // a stray event of a refused call would be published and seen by now
    expect(published(cartId).map((e) => e.data.quantity)).toEqual([2, 1]);
    const entries = await outboxEntries(cartId);
    expect(entries.map((x) => [x.version, x.events.length])).toEqual([[1, 0], [2, 1], [3, 0], [4, 1]]);
  });
});
