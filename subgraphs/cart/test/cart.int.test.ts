import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandCounter, newId } from '@commerce/platform';
import { ADMIN, CUSTOMER, eventually, expectOneBatch, gql } from '@commerce/testing';
import { ADD, CART, CART_FIELDS, CartHarness, CREATE_CART, REMOVE, UPDATE } from './helpers.ts';

const t = new CartHarness();
const OTHER = { id: 'cust_other', roles: ['CUSTOMER'] as Array<'CUSTOMER' | 'ADMIN'> };

beforeAll(async () => {
  await t.start({ monitorCommands: true });
});
afterAll(async () => {
  await t.stop();
});

const codes = (r: any, field: string) => r.data[field].userErrors.map((e: any) => e.code);

describe('the storefront contract operations', () => {
  it('creates a cart, adds, reads, updates and removes lines (anonymous)', async () => {
    const shirt = await t.variant({ amount: 1999, stock: 10 });
    const mug = await t.variant({ amount: 500, stock: 3 });
    const created = await t.call(CREATE_CART);
    expect(created.errors).toBeUndefined();
    const cartId: string = created.data!.createCart.id;
    expect(cartId).toMatch(/^cart_/);

    const first = await t.call(ADD, { cartId, variantId: shirt.id, quantity: 2 });
    expect(first.data!.addToCart.userErrors).toEqual([]);
    const line = first.data!.addToCart.cart.lines[0];
    expect(first.data!.addToCart.cart).toEqual({
      id: cartId,
      lines: [{ id: line.id, quantity: 2, variant: { id: shirt.id }, unitPrice: { amount: '19.99', currencyCode: 'USD' }, lineTotal: { amount: '39.98', currencyCode: 'USD' } }],
      subtotal: { amount: '39.98', currencyCode: 'USD' },
      totalQuantity: 2,
      checkedOut: false,
    });
    expect(line.id).toMatch(/^line_/);

    // the same variant again grows that line
    const again = await t.call(ADD, { cartId, variantId: shirt.id, quantity: 1 });
    expect(again.data!.addToCart.cart.lines).toHaveLength(1);
    expect(again.data!.addToCart.cart.lines[0]).toMatchObject({ id: line.id, quantity: 3 });
    const withMug = await t.call(ADD, { cartId, variantId: mug.id, quantity: 3 });
    expect(withMug.data!.addToCart.cart).toMatchObject({ subtotal: { amount: '74.97' }, totalQuantity: 6 });
    const mugLine = withMug.data!.addToCart.cart.lines[1];

    const read = await t.call(CART, { id: cartId });
    expect(read.data!.cart).toEqual(withMug.data!.addToCart.cart);

    const updated = await t.call(UPDATE, { cartId, lineId: line.id, quantity: 5 });
    expect(updated.data!.updateCartLine.userErrors).toEqual([]);
    expect(updated.data!.updateCartLine.cart).toMatchObject({ subtotal: { amount: '114.95' }, totalQuantity: 8 });

    // quantity 0 removes the line
    const zero = await t.call(UPDATE, { cartId, lineId: line.id, quantity: 0 });
    expect(zero.data!.updateCartLine.cart.lines.map((l: any) => l.id)).toEqual([mugLine.id]);

    const removed = await t.call(REMOVE, { cartId, lineId: mugLine.id });
    expect(removed.data!.removeCartLine).toEqual({
      cart: { id: cartId, lines: [], subtotal: { amount: '0.00', currencyCode: 'USD' }, totalQuantity: 0, checkedOut: false },
      userErrors: [],
    });
  });

  it('validates the contract documents as written (variant fields are the catalog\'s)', async () => {
    // the subgraph alone knows only ProductVariant.id: the catalog part must fail here, the rest must not
    const r = await t.call(`query Cart($id: ID!) { cart(id: $id) { id lines { id quantity variant { id sku } } } }`, { id: newId('cart') });
    expect(r.errors?.[0]?.message).toMatch(/sku/);
    const ok = await t.call(`query Cart($id: ID!) { cart(id: $id) { ...CartFields } } ${CART_FIELDS}`, { id: newId('cart') });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ cart: null });
  });
});

describe('ownership', () => {
  it('a customer cart is its owner\'s only: null to everyone else, CART_NOT_FOUND for their changes', async () => {
    const v = await t.variant({ stock: 5 });
    const cartId = await t.newCart(CUSTOMER);
    const add = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 }, CUSTOMER);
    expect(add.data!.addToCart.userErrors).toEqual([]);
    const lineId = add.data!.addToCart.cart.lines[0].id;
    const before = await t.storedCart(cartId);
    expect(before.customerId).toBe(CUSTOMER.id);

    for (const user of [OTHER, ADMIN, null]) {
      expect((await t.call(CART, { id: cartId }, user)).data).toEqual({ cart: null });
      const tries = [
        ['addToCart', await t.call(ADD, { cartId, variantId: v.id, quantity: 1 }, user)],
        ['updateCartLine', await t.call(UPDATE, { cartId, lineId, quantity: 2 }, user)],
        ['removeCartLine', await t.call(REMOVE, { cartId, lineId }, user)],
      ] as const;
      for (const [field, r] of tries) {
        expect(r.data![field], `${field} as ${user?.id ?? 'anonymous'}`).toEqual({ cart: null, userErrors: [{ field: ['cartId'], message: 'Cart not found', code: 'CART_NOT_FOUND' }] });
      }
    }
    expect(await t.storedCart(cartId)).toEqual(before);
    expect((await t.call(CART, { id: cartId }, CUSTOMER)).data!.cart.totalQuantity).toBe(1);
  });

  it('an anonymous cart works for anyone who has its id, with or without a token', async () => {
    const v = await t.variant({ stock: 5 });
    const cartId = await t.newCart();
    expect((await t.storedCart(cartId)).customerId).toBeNull();
    await t.call(ADD, { cartId, variantId: v.id, quantity: 1 });
    const asCustomer = await t.call(ADD, { cartId, variantId: v.id, quantity: 1 }, CUSTOMER);
    expect(asCustomer.data!.addToCart.cart.totalQuantity).toBe(2);
    expect((await t.call(CART, { id: cartId }, OTHER)).data!.cart.totalQuantity).toBe(2);
  });
});

describe('user errors (the cart stays unchanged)', () => {
  it('answers every error code, with the field at fault, changing nothing', async () => {
    const v = await t.variant({ amount: 1000, stock: 5 });
    const noStock = await t.variant({ amount: 1000 }); // known to the catalog, no stock event yet
    const cartId = await t.newCart(CUSTOMER);
    const add = await t.call(ADD, { cartId, variantId: v.id, quantity: 2 }, CUSTOMER);
    const lineId = add.data!.addToCart.cart.lines[0].id;
    const before = await t.storedCart(cartId);
    const unchanged = add.data!.addToCart.cart;

    const cases: Array<[string, string, Record<string, unknown>, string, string[] | null]> = [
      ['addToCart', ADD, { cartId, variantId: newId('var'), quantity: 1 }, 'VARIANT_NOT_FOUND', ['variantId']],
      ['addToCart', ADD, { cartId, variantId: 'garbage', quantity: 1 }, 'VARIANT_NOT_FOUND', ['variantId']],
      ['addToCart', ADD, { cartId, variantId: v.id, quantity: 0 }, 'INVALID_QUANTITY', ['quantity']],
      ['addToCart', ADD, { cartId, variantId: v.id, quantity: -3 }, 'INVALID_QUANTITY', ['quantity']],
      ['addToCart', ADD, { cartId, variantId: v.id, quantity: 100_000 }, 'INVALID_QUANTITY', ['quantity']],
      ['addToCart', ADD, { cartId, variantId: v.id, quantity: 4 }, 'INSUFFICIENT_STOCK', ['quantity']], // 2 + 4 > 5
      ['addToCart', ADD, { cartId, variantId: noStock.id, quantity: 1 }, 'INSUFFICIENT_STOCK', ['quantity']], // unknown availability = 0
      ['updateCartLine', UPDATE, { cartId, lineId, quantity: 6 }, 'INSUFFICIENT_STOCK', ['quantity']],
      ['updateCartLine', UPDATE, { cartId, lineId, quantity: -1 }, 'INVALID_QUANTITY', ['quantity']],
      ['updateCartLine', UPDATE, { cartId, lineId: newId('line'), quantity: 1 }, 'LINE_NOT_FOUND', ['lineId']],
      ['updateCartLine', UPDATE, { cartId, lineId: 'nope', quantity: 1 }, 'LINE_NOT_FOUND', ['lineId']],
      ['removeCartLine', REMOVE, { cartId, lineId: newId('line') }, 'LINE_NOT_FOUND', ['lineId']],
      ['removeCartLine', REMOVE, { cartId, lineId: 'nope' }, 'LINE_NOT_FOUND', ['lineId']],
    ];
    for (const [field, doc, vars, code, path] of cases) {
      const r = await t.call(doc, vars, CUSTOMER);
      expect(r.status).toBe(200);
      expect(r.data![field].userErrors.map((e: any) => [e.code, e.field]), `${field} ${JSON.stringify(vars)}`).toEqual([[code, path]]);
      expect(r.data![field].cart, 'the unchanged cart comes back').toEqual(unchanged);
    }
    // unknown or malformed cart ids
    for (const badId of [newId('cart'), 'nope', '']) {
      const tries = [
        ['addToCart', await t.call(ADD, { cartId: badId, variantId: v.id, quantity: 1 }, CUSTOMER)],
        ['updateCartLine', await t.call(UPDATE, { cartId: badId, lineId, quantity: 1 }, CUSTOMER)],
        ['removeCartLine', await t.call(REMOVE, { cartId: badId, lineId }, CUSTOMER)],
      ] as const;
      for (const [field, r] of tries) expect(codes(r, field), `${field} ${badId}`).toEqual(['CART_NOT_FOUND']);
      expect((await t.call(CART, { id: badId })).data).toEqual({ cart: null });
    }
    expect(await t.storedCart(cartId)).toEqual(before);
  });

  it('lets a line come down when stock dropped below it, but not go up', async () => {
    const v = await t.variant({ stock: 5 });
    const cartId = await t.newCart();
    const add = await t.call(ADD, { cartId, variantId: v.id, quantity: 4 });
    const lineId = add.data!.addToCart.cart.lines[0].id;
    await t.publishStock(v.id, 2, 2);
    await eventually(async () => t.svc.deps.readModel.available(v.id) === 2);
    expect(codes(await t.call(UPDATE, { cartId, lineId, quantity: 5 }), 'updateCartLine')).toEqual(['INSUFFICIENT_STOCK']);
    const down = await t.call(UPDATE, { cartId, lineId, quantity: 3 });
    expect(down.data!.updateCartLine).toMatchObject({ userErrors: [], cart: { totalQuantity: 3 } });
  });
});

describe('concurrency (FerretDB: updates are not atomic with their filters)', () => {
  it('loses no line and no quantity when ten addToCart race on one cart', async () => {
    const vs = await Promise.all([1, 2, 3, 4].map(() => t.variant({ amount: 100, stock: 100 })));
    const cartId = await t.newCart();
    // same variant 4× (quantities 1..4), the others 2× each
    const adds = [
      ...[1, 2, 3, 4].map((q) => ({ variantId: vs[0]!.id, quantity: q })),
      ...[1, 2, 3].flatMap((i) => [{ variantId: vs[i]!.id, quantity: 1 }, { variantId: vs[i]!.id, quantity: 2 }]),
    ];
    expect(adds).toHaveLength(10);
    const results = await Promise.all(adds.map((a) => t.call(ADD, { cartId, ...a })));
    for (const r of results) expect(r.data!.addToCart.userErrors).toEqual([]);

    const cart = (await t.call(CART, { id: cartId })).data!.cart;
    const byVariant = Object.fromEntries(cart.lines.map((l: any) => [l.variant.id, l.quantity]));
    expect(byVariant).toEqual({ [vs[0]!.id]: 10, [vs[1]!.id]: 3, [vs[2]!.id]: 3, [vs[3]!.id]: 3 });
    expect(cart.totalQuantity).toBe(19);
    expect(cart.subtotal.amount).toBe('19.00');
    expect((await t.storedCart(cartId)).version).toBe(11); // created + ten commits, none lost
  });

  it('never puts more in a line than is available when ten adds race for the last units', async () => {
    const v = await t.variant({ stock: 4 });
    const cartId = await t.newCart();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.call(ADD, { cartId, variantId: v.id, quantity: 1 })));
    const ok = results.filter((r) => r.data!.addToCart.userErrors.length === 0);
    expect(ok).toHaveLength(4);
    expect(results.filter((r) => codes(r, 'addToCart')[0] === 'INSUFFICIENT_STOCK')).toHaveLength(6);
    expect((await t.call(CART, { id: cartId })).data!.cart.totalQuantity).toBe(4);
  });
});

describe('DataLoader', () => {
  it('reads N carts (cart fields and _entities) in one batch on carts and no query for prices', async () => {
    const v = await t.variant({ amount: 250, stock: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await t.newCart(i === 3 ? CUSTOMER : null);
      await t.call(ADD, { cartId: id, variantId: v.id, quantity: i + 1 }, i === 3 ? CUSTOMER : null);
      ids.push(id);
    }
    const query = `query ($a: ID!, $b: ID!, $reps: [_Any!]!) {
      a: cart(id: $a) { id subtotal { amount } }
      b: cart(id: $b) { id totalQuantity lines { variant { id } } }
      _entities(representations: $reps) { ... on Cart { id subtotal { amount } } }
    }`;
    const reps = [...ids.slice(2), newId('cart')].map((id) => ({ __typename: 'Cart', id }));
    // The outbox relay's timer sweep reads `carts` for entries still pending after their grace
    // period (a mark that failed under load): wait until none are, so only the request is counted.
    await eventually(async () => (await t.svc.conn.db!.collection('outbox').countDocuments({ status: 'pending' })) === 0, 15_000);
    const counter = new CommandCounter(t.svc.conn);
    const seen: string[] = [];
    const record = (ev: { commandName: string; command: Record<string, unknown> }) => seen.push(`${ev.commandName} ${JSON.stringify(ev.command[ev.commandName])} ${JSON.stringify(ev.command.filter ?? {})}`);
    t.svc.conn.getClient().on('commandStarted', record);
    const r = await t.call(query, { a: ids[0], b: ids[1], reps }, OTHER);
    t.svc.conn.getClient().off('commandStarted', record);
    counter.stop();
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      a: { id: ids[0], subtotal: { amount: '2.50' } },
      b: { id: ids[1], totalQuantity: 2, lines: [{ variant: { id: v.id } }] },
      // the customer's cart is not OTHER's: null, like an unknown one
      _entities: [{ id: ids[2], subtotal: { amount: '7.50' } }, null, null],
    });
    await expectOneBatch(t.svc.conn.db as never, counter, 'carts', [ids[0]!, ids[1]!, ...reps.map((r) => r.id)]);
    expect(counter.get('find', 'catalog_variants') + counter.get('find', 'stock_levels'), seen.join('\n')).toBe(0);
  });
});

describe('health and the router-only gate', () => {
  it('is ready, and answers only the router', async () => {
    const ready = await fetch(t.svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    for (const query of ['{ _service { sdl } }', CREATE_CART]) {
      const r = await gql(t.svc.url, query);
      expect(r.status).toBe(401);
      expect(r.data).toBeUndefined();
    }
    const viaRouter = await t.call('{ _service { sdl } }');
    expect(viaRouter.data?._service.sdl).toContain('type Cart');
  });
});
