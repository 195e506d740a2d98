import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus } from '@commerce/events';
import { OrderCancelled, OrderConfirmed, OrderPlaced, OrderRefunded, PaymentAuthorized, PaymentDeclined, PaymentRefunded, PaymentRequested, paymentTokenKey, readPaymentToken, StockReservationFailed, StockReserved } from '@commerce/events/contracts';
import { CONTEXT_HEADER, createRedis, verifyInternalContext, newId, type Redis } from '@commerce/platform';
import { ADMIN, callSubgraph, eventually, gql, isQuiet, observeEvents, serviceEnv, testInfra, testLogger, TEST_ROUTER_PUBLIC_KEY, uniqueSuffix, waitQuiet, TEST_EVENTS, type EventObserver, type QuietScope } from '@commerce/testing';
import { startOrders, type OrdersService } from '../src/index.ts';
import { ORDER_EVENTS } from '../src/domain/deps.ts';
import { orderIdFor } from '../src/domain/order-id.ts';
import { applyChange, type OrderChange, type OrderState } from '../src/domain/order.ts';
import { rebuildOrderViews } from '../src/domain/rebuild.ts';

/**
 * The orders side of the saga against real FerretDB and NATS. Inventory and payments are played
 * by this test through their real events; the cart's internal route is served by a small HTTP
 * handler that checks the signed context like the cart service does (unless a cart is in
 * `handedToAnyone`: a cart service whose own check failed, so orders' check is the one that counts).
 */
const carts = new Map<string, { customerId: string; lines: unknown[]; checkedOut?: boolean }>();
const handedToAnyone = new Set<string>();
/** every answer of the fake cart route: which cart, to whom, with what status */
const cartAnswers: Array<{ cartId: string; caller: string | undefined; status: number }> = [];
let cartServer: Server;
let orders: OrdersService;
let bus: EventBus;
/** every orders event on the stream (copies included) */
let observer: EventObserver;
let cartUp = true;
/** the platform's Redis: the payment-token store */
let redis: Redis;

const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status total { amount currencyCode } } userErrors { field code } } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { id status cancellationReason lines { sku title quantity unitPrice { amount } lineTotal { amount } } total { amount currencyCode } createdAt } }`;
const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id) { order { id status cancellationReason } userErrors { code } } }`;
const ME_ORDERS = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { orders(first: 10) { edges { node { id status } } } } } }`;
const address = { name: 'Ada Buyer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

function customer() {
  return { id: `cust_${uniqueSuffix()}`, roles: ['CUSTOMER'] as Array<'CUSTOMER' | 'ADMIN'> };
}
function cartFor(customerId: string, quantity = 2): string {
  const id = newId('cart');
  carts.set(id, { customerId, lines: [{ productId: 'prod_1', variantId: 'var_1', sku: 'MUG-1', title: 'Mug', quantity, unitPrice: { amount: 1250, currencyCode: 'USD' } }] });
  return id;
}
async function place(user: ReturnType<typeof customer>, cartId: string, extra: Record<string, unknown> = {}) {
  return callSubgraph<any>(orders.url, PLACE, { input: { cartId, paymentToken: 'tok_visa', idempotencyKey: `k-${uniqueSuffix()}`, shippingAddress: address, ...extra } }, user);
}
function eventsFor(type: string, orderId: string): Array<{ orderId: string; data: any; id: string }> {
  return observer.seen.filter((e) => e.type === type && (e.data as { orderId?: string }).orderId === orderId).map((e) => ({ orderId, data: e.data, id: e.id }));
}
/** the orders service's consumers, the observer and the order streams (its outbox) */
const everything = (): QuietScope => ({ bus, durables: [...orders.consumers, observer], dbs: [{ db: orders.deps.db, outbox: ORDER_EVENTS }] });
async function viewStatus(user: ReturnType<typeof customer>, orderId: string, status: string) {
  return eventually(async () => {
    const r = await callSubgraph<any>(orders.url, ORDER, { id: orderId }, user);
    return r.data?.order?.status === status ? r.data.order : undefined;
  }, 5000);
}

beforeAll(async () => {
  cartServer = createServer(async (req, res) => {
    try {
      const ctx = await verifyInternalContext(TEST_ROUTER_PUBLIC_KEY, req.headers[CONTEXT_HEADER] as string, { audience: 'orders' });
      if (!cartUp) { res.writeHead(503).end('{}'); return; }
      const id = new URL(req.url!, 'http://x').searchParams.get('id')!;
      const cart = carts.get(id);
      const answer = (status: number) => cartAnswers.push({ cartId: id, caller: ctx.user?.id, status });
      if (!cart) { answer(404); res.writeHead(404).end('{}'); return; }
      if (cart.customerId !== ctx.user?.id && !handedToAnyone.has(id)) { answer(403); res.writeHead(403).end('{}'); return; }
      answer(200);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, version: 1, checkedOut: !!cart.checkedOut, ...cart }));
    } catch {
      res.writeHead(401).end('{}');
    }
  });
  await new Promise<void>((r) => cartServer.listen(0, '127.0.0.1', () => r()));
  const cartUrl = `http://127.0.0.1:${(cartServer.address() as AddressInfo).port}`;
  orders = await startOrders(serviceEnv('orders', { CART_INTERNAL_URL: cartUrl, ORDER_SAGA_TIMEOUT_MS: '1500', ORDER_SWEEP_MS: '200' }));
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'orders-saga-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  observer = await observeEvents({ bus, subject: 'commerce.orders.>' });
  redis = createRedis(testInfra().redisUrl);
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await observer?.stop();
  await orders?.stop();
  await bus?.close();
  cartServer?.close();
});

describe('placeOrder', () => {
  it('returns PENDING at once, then follows the saga to CONFIRMED', async () => {
    const user = customer();
    const r = await place(user, cartFor(user.id));
    expect(r.data.placeOrder.userErrors).toEqual([]);
    const order = r.data.placeOrder.order;
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: '25.00', currencyCode: 'USD' } });
    const placed = await eventually(async () => eventsFor(OrderPlaced.type, order.id)[0]);
    expect(placed.data.lines).toHaveLength(1);

    await bus.publish(StockReserved.create({ orderId: order.id, reservationId: `res_${order.id}`, lines: [{ variantId: 'var_1', quantity: 2 }], expiresAt: new Date(Date.now() + 60_000).toISOString() }, { aggregateId: order.id }));
    const requested = await eventually(async () => eventsFor(PaymentRequested.type, order.id)[0]);
    expect(requested.data).toMatchObject({ amount: { amount: 2500, currencyCode: 'USD' }, paymentTokenRef: expect.stringMatching(/^ptok_[0-9a-f]{32}$/), idempotencyKey: `pay:${order.id}` });
    // the token is not in the event: it waits for payments in the payment-token store, for this order only
    expect(requested.data).not.toHaveProperty('paymentToken');
    expect(await readPaymentToken(redis, requested.data.paymentTokenRef, order.id)).toBe('tok_visa');
    expect(await readPaymentToken(redis, requested.data.paymentTokenRef, `ord_${'f'.repeat(25)}`)).toBeNull();

    await bus.publish(PaymentAuthorized.create({ orderId: order.id, paymentId: `pay_${order.id}`, amount: { amount: 2500, currencyCode: 'USD' }, brand: 'visa', last4: '4242' }, { aggregateId: order.id }));
    await eventually(async () => eventsFor(OrderConfirmed.type, order.id)[0]);
    const view = await viewStatus(user, order.id, 'CONFIRMED');
    expect(view).toMatchObject({ cancellationReason: null, lines: [{ sku: 'MUG-1', title: 'Mug', quantity: 2, unitPrice: { amount: '12.50' }, lineTotal: { amount: '25.00' } }] });

    const mine = await callSubgraph<any>(orders.url, ME_ORDERS, { reps: [{ __typename: 'Customer', id: user.id }] }, user);
    expect(mine.data._entities[0].orders.edges.map((e: any) => e.node)).toEqual([{ id: order.id, status: 'CONFIRMED' }]);
  });

  it('creates one order for five concurrent requests with one idempotency key', async () => {
    const user = customer();
    const cartId = cartFor(user.id);
    const key = `same-${uniqueSuffix()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => place(user, cartId, { idempotencyKey: key })));
    const ids = new Set(results.map((r) => r.data.placeOrder.order.id));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids] as [string];
    await eventually(async () => eventsFor(OrderPlaced.type, orderId).length >= 1);
    await waitQuiet(everything()); // everything committed is published and seen: a second order-placed would be counted
    expect(eventsFor(OrderPlaced.type, orderId)).toHaveLength(1);
    // and a later retry with the key still answers with that order, even once the cart is gone
    carts.delete(cartId);
    const again = await place(user, cartId, { idempotencyKey: key });
    expect(again.data.placeOrder.order.id).toBe(orderId);
  });

  it('requests payment once when the same stock-reserved event arrives twice', async () => {
    const user = customer();
    const { data } = await place(user, cartFor(user.id));
    const orderId = data.placeOrder.order.id;
    const reserved = StockReserved.create({ orderId, reservationId: `res_${orderId}`, lines: [{ variantId: 'var_1', quantity: 2 }], expiresAt: new Date().toISOString() }, { aggregateId: orderId });
    await bus.publishRaw(reserved.type, JSON.stringify(reserved), `${reserved.id}-1`);
    await bus.publishRaw(reserved.type, JSON.stringify({ ...reserved, id: crypto.randomUUID() }), `${reserved.id}-2`);
    await eventually(async () => eventsFor(PaymentRequested.type, orderId).length >= 1);
    await waitQuiet(everything()); // both copies handled, everything committed published and seen
    expect(eventsFor(PaymentRequested.type, orderId)).toHaveLength(1);
  });

  it('cancels with PAYMENT_DECLINED and OUT_OF_STOCK, telling everyone to compensate', async () => {
    const user = customer();
    const declined = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    await bus.publish(StockReserved.create({ orderId: declined, reservationId: 'r', lines: [], expiresAt: new Date().toISOString() }, { aggregateId: declined }));
    await eventually(async () => eventsFor(PaymentRequested.type, declined)[0]);
    await bus.publish(PaymentDeclined.create({ orderId: declined, paymentId: 'pay_x', reason: 'CARD_DECLINED' }, { aggregateId: declined }));
    expect((await viewStatus(user, declined, 'CANCELLED')).cancellationReason).toBe('PAYMENT_DECLINED');
    expect((await eventually(async () => eventsFor(OrderCancelled.type, declined)[0])).data).toMatchObject({ reason: 'PAYMENT_DECLINED', wasConfirmed: false });

    const short = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    await bus.publish(StockReservationFailed.create({ orderId: short, reason: 'OUT_OF_STOCK', lines: [{ variantId: 'var_1', requested: 2, available: 0 }] }, { aggregateId: short }));
    expect((await viewStatus(user, short, 'CANCELLED')).cancellationReason).toBe('OUT_OF_STOCK');
  });

  it('cancels an order whose saga does not finish in time (TIMEOUT)', async () => {
    const user = customer();
    const orderId = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    expect((await viewStatus(user, orderId, 'CANCELLED')).cancellationReason).toBe('TIMEOUT');
    // a late reply changes nothing (even the order's own payment, for its total)
    await bus.publish(PaymentAuthorized.create({ orderId, paymentId: `pay_${orderId}`, amount: { amount: 2500, currencyCode: 'USD' }, brand: 'visa', last4: '4242' }, { aggregateId: orderId }));
    await waitQuiet(everything()); // the late reply was handled, and whatever it caused is published and seen
    expect(eventsFor(OrderConfirmed.type, orderId)).toHaveLength(0);
    expect((await viewStatus(user, orderId, 'CANCELLED')).cancellationReason).toBe('TIMEOUT');
  });

  it('answers userErrors for a bad checkout and SERVICE_UNAVAILABLE when the cart service is down', async () => {
    const user = customer();
    const other = customer();
    const codes = async (cartId: string, extra = {}) => (await place(user, cartId, extra)).data.placeOrder.userErrors.map((e: any) => e.code);
    expect(await codes(newId('cart'))).toEqual(['CART_NOT_FOUND']);
    expect(await codes(cartFor(other.id))).toEqual(['CART_NOT_FOUND']);
    const empty = newId('cart');
    carts.set(empty, { customerId: user.id, lines: [] });
    expect(await codes(empty)).toEqual(['CART_EMPTY']);
    expect(await codes(cartFor(user.id), { shippingAddress: { ...address, country: 'ZZ' } })).toEqual(['INVALID_COUNTRY']);
    const anon = await callSubgraph<any>(orders.url, PLACE, { input: { cartId: cartFor(user.id), paymentToken: 'tok_visa', idempotencyKey: 'a', shippingAddress: address } });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    cartUp = false;
    try {
      const down = await place(user, cartFor(user.id));
      expect(down.status).toBe(200);
      expect(down.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      cartUp = true;
    }
  });
});

describe("orders' own cart ownership check", () => {
  it("refuses another customer's cart even when the cart service hands it out, and writes nothing", async () => {
    const user = customer();
    const owner = customer();
    const cartId = cartFor(owner.id);
    handedToAnyone.add(cartId); // the cart service's own check fails: it answers with the owner's cart
    const idempotencyKey = `k-${uniqueSuffix()}`;
    const asked = cartAnswers.length;
    const r = await place(user, cartId, { idempotencyKey });
    expect(r.errors).toBeUndefined();
    expect(r.data.placeOrder).toEqual({ order: null, userErrors: [{ field: ['input', 'cartId'], code: 'CART_NOT_FOUND' }] });
    // the cart service did hand the cart out (200, to this caller): the refusal is orders' own
    expect(cartAnswers.slice(asked)).toEqual([{ cartId, caller: user.id, status: 200 }]);

    // nothing written: no order stream entry, no order document, no view; so nothing to publish
    const orderId = orderIdFor(user.id, idempotencyKey);
    const db = orders.deps.db;
    expect(await db.collection(ORDER_EVENTS).countDocuments({ aggregateId: orderId })).toBe(0);
    expect(await db.collection(ORDER_EVENTS).countDocuments({ 'state.cartId': cartId })).toBe(0);
    expect(await db.collection('orders').countDocuments({ _id: orderId } as never)).toBe(0);
    expect(await db.collection('order_views').countDocuments({ _id: orderId } as never)).toBe(0);
    await waitQuiet(everything());
    expect(observer.seen.filter((e) => (e.data as { cartId?: string }).cartId === cartId || e.aggregateId === orderId)).toEqual([]);
    // the same request again answers the same: no order was kept under the key
    expect((await place(user, cartId, { idempotencyKey })).data.placeOrder.userErrors.map((e: any) => e.code)).toEqual(['CART_NOT_FOUND']);
  });
});

describe('cancelOrder and access', () => {
  it('lets the owner cancel once (a confirmed order is refunded), and nobody else', async () => {
    const user = customer();
    const orderId = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    await bus.publish(StockReserved.create({ orderId, reservationId: 'r', lines: [], expiresAt: new Date().toISOString() }, { aggregateId: orderId }));
    await eventually(async () => eventsFor(PaymentRequested.type, orderId)[0]);
    await bus.publish(PaymentAuthorized.create({ orderId, paymentId: `pay_${orderId}`, amount: { amount: 2500, currencyCode: 'USD' }, brand: 'visa', last4: '4242' }, { aggregateId: orderId }));
    await viewStatus(user, orderId, 'CONFIRMED');

    const stranger = await callSubgraph<any>(orders.url, CANCEL, { id: orderId }, customer());
    expect(stranger.data.cancelOrder.userErrors[0].code).toBe('ORDER_NOT_FOUND');
    const r = await callSubgraph<any>(orders.url, CANCEL, { id: orderId }, user);
    expect(r.data.cancelOrder).toEqual({ order: { id: orderId, status: 'CANCELLED', cancellationReason: 'CUSTOMER_REQUEST' }, userErrors: [] });
    expect((await eventually(async () => eventsFor(OrderCancelled.type, orderId)[0])).data.wasConfirmed).toBe(true);
    const twice = await callSubgraph<any>(orders.url, CANCEL, { id: orderId }, user);
    expect(twice.data.cancelOrder.userErrors[0].code).toBe('ORDER_NOT_CANCELLABLE');

    expect((await callSubgraph<any>(orders.url, ORDER, { id: orderId }, customer())).data.order).toBeNull();
    // the read model follows the cancellation (eventually: it is a projection of the order's events)
    expect((await viewStatus(ADMIN, orderId, 'CANCELLED')).status).toBe('CANCELLED');
    expect((await callSubgraph<any>(orders.url, ORDER, { id: 'nope' }, user)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(orders.url, ORDER, { id: orderId })).status).toBe(401);
  });
});

describe('Order entity references (_entities)', () => {
  const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id total { amount } } } }`;
  const refs = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Order', id })) });

  it('resolve an order only for its customer, support agents and admins', async () => {
    const owner = customer();
    const orderId = (await place(owner, cartFor(owner.id))).data.placeOrder.order.id;
    const mine = { id: orderId, total: { amount: '25.00' } };

    const stranger = await callSubgraph<any>(orders.url, ENTITIES, refs(orderId), customer());
    expect(stranger.errors).toBeUndefined();
    expect(stranger.data._entities).toEqual([null]);
    expect((await callSubgraph<any>(orders.url, ENTITIES, refs(orderId), null)).data._entities).toEqual([null]);

    expect((await callSubgraph<any>(orders.url, ENTITIES, refs(orderId), owner)).data._entities).toEqual([mine]);
    expect((await callSubgraph<any>(orders.url, ENTITIES, refs(orderId), ADMIN)).data._entities).toEqual([mine]);
    const agent = { id: `cust_${uniqueSuffix()}`, roles: ['CUSTOMER', 'SUPPORT_AGENT'] as Array<'CUSTOMER' | 'SUPPORT_AGENT'> };
    expect((await callSubgraph<any>(orders.url, ENTITIES, refs(orderId), agent)).data._entities).toEqual([mine]);

    // decided per entity in one batch: the stranger's own order, not the other one
    const other = customer();
    const theirs = (await place(other, cartFor(other.id))).data.placeOrder.order.id;
    expect((await callSubgraph<any>(orders.url, ENTITIES, refs(orderId, theirs), other)).data._entities).toEqual([null, { id: theirs, total: { amount: '25.00' } }]);
  });
});

describe('refunds', () => {
  const REFUNDS = `query ($id: ID!) { order(id: $id) { id status total { amount } refunds { id amount { amount currencyCode } refundedAt } refundedTotal { amount currencyCode } } }`;
  const USD = (amount: number) => ({ amount, currencyCode: 'USD' });

  /** True once the refunds consumer claimed these events and everything is quiet (waitQuiet: consumers, observer, order streams). */
  async function processed(eventIds: string[]): Promise<boolean> {
    const refunds = orders.consumers.find((c) => c.durable.includes('orders-refunds'))!;
    const n = await orders.deps.db.collection('processed_events').countDocuments({ _id: { $in: eventIds.map((id) => `${refunds.durable}:${id}`) } } as never);
    if (n !== eventIds.length) return false;
    return isQuiet(everything());
  }

  it('records each refund once on the order, however often payment-refunded arrives', async () => {
    const user = customer();
    const orderId = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    await bus.publish(StockReserved.create({ orderId, reservationId: 'r', lines: [], expiresAt: new Date().toISOString() }, { aggregateId: orderId }));
    await eventually(async () => eventsFor(PaymentRequested.type, orderId)[0]);
    await bus.publish(PaymentAuthorized.create({ orderId, paymentId: `pay_${orderId}`, amount: USD(2500), brand: 'visa', last4: '4242' }, { aggregateId: orderId }));
    await viewStatus(user, orderId, 'CONFIRMED');
    const none = (await callSubgraph<any>(orders.url, REFUNDS, { id: orderId }, user)).data.order;
    expect(none).toMatchObject({ refunds: [], refundedTotal: { amount: '0.00', currencyCode: 'USD' } });

    const paymentId = `pay_${orderId}`;
    const partial = PaymentRefunded.create({ orderId, paymentId, amount: USD(1000), refundId: 'rf_ticket_1', refundedTotal: USD(1000), fullyRefunded: false }, { aggregateId: paymentId });
    const republished = PaymentRefunded.create(partial.data, { aggregateId: paymentId }); // same refund, new event id
    // an event from before partial refunds: no refundId, it stands for the cancellation's refund
    const legacy = PaymentRefunded.create({ orderId, paymentId, amount: USD(1500) }, { aggregateId: paymentId });
    const legacyAgain = PaymentRefunded.create({ orderId, paymentId, amount: USD(1500) }, { aggregateId: paymentId });
    await Promise.all([partial, republished, legacy, legacyAgain].map((e) => bus.publish(e)));
    await bus.publishRaw(partial.type, JSON.stringify(partial), `${partial.id}-redelivered`); // the same event id once more

    const order = await eventually(async () => {
      const o = (await callSubgraph<any>(orders.url, REFUNDS, { id: orderId }, user)).data?.order;
      return o?.refundedTotal.amount === '25.00' ? o : undefined;
    }, 8000);
    await eventually(() => processed([partial.id, republished.id, legacy.id, legacyAgain.id]), 15_000, 100);
    const after = (await callSubgraph<any>(orders.url, REFUNDS, { id: orderId }, user)).data.order;
    expect(after).toEqual(order);
    expect(after).toMatchObject({ status: 'CONFIRMED', total: { amount: '25.00' }, refundedTotal: { amount: '25.00', currencyCode: 'USD' } });
    expect(after.refunds.map((r: any) => [r.id, r.amount.amount])).toEqual(
      expect.arrayContaining([['rf_ticket_1', '10.00'], [`rf_cancel_${orderId}`, '15.00']]),
    );
    expect(after.refunds).toHaveLength(2);
    // the stream holds one RefundRecorded per refund id, each with its OrderRefunded
    const entries = await orders.deps.db.collection('order_events').find({ aggregateId: orderId, 'change.type': 'RefundRecorded' }).toArray();
    expect(entries.map((e) => e.change.data.refundId).sort()).toEqual([`rf_cancel_${orderId}`, 'rf_ticket_1'].sort());
    expect(entries.flatMap((e) => e.events.map((ev: any) => ev.type))).toEqual([OrderRefunded.type, OrderRefunded.type]);
    const announced = await eventually(async () => (eventsFor(OrderRefunded.type, orderId).length === 2 ? eventsFor(OrderRefunded.type, orderId) : undefined), 5000);
    const [first, second] = [...announced].sort((a, b) => a.data.refundedTotal.amount - b.data.refundedTotal.amount);
    expect(first!.data.refundedTotal.amount).toBe(first!.data.amount.amount); // the running total
    expect(second!.data).toMatchObject({ orderId, customerId: user.id, refundedTotal: USD(2500) });
    // the admin sees the same; another customer does not see the order at all
    expect((await callSubgraph<any>(orders.url, REFUNDS, { id: orderId }, ADMIN)).data.order.refundedTotal.amount).toBe('25.00');
    expect((await callSubgraph<any>(orders.url, REFUNDS, { id: orderId }, customer())).data.order).toBeNull();
  });
});

describe('read model rebuild', () => {
  it('gives the same result as the live projection', async () => {
    const db = orders.deps.db;
    await eventually(async () => {
      // wait until the live projection caught up with every stream
      const streams = await db.collection('order_events').distinct('aggregateId');
      const views = await db.collection('order_views').find({}).toArray();
      const latest = await db.collection('order_events').aggregate([{ $group: { _id: '$aggregateId', v: { $sum: 1 } } }]).toArray();
      const byId = new Map(latest.map((l) => [l._id, l.v]));
      return views.length === streams.length && views.every((v) => byId.get(v._id) === v.version);
    }, 10_000);
    const live = await db.collection('order_views').find({}).sort({ _id: 1 }).toArray();
    const n = await rebuildOrderViews({ db, logger: testLogger }, { target: 'order_views_rebuilt' });
    const rebuilt = await db.collection('order_views_rebuilt').find({}).sort({ _id: 1 }).toArray();
    expect(n).toBe(live.length);
    expect(rebuilt).toEqual(live);
  });
});

describe('the payment token (claim check)', () => {
  /** the reference an order's stream recorded for its token */
  async function refOf(orderId: string): Promise<string> {
    const placed = await orders.deps.db.collection(ORDER_EVENTS).findOne({ _id: `orders:${orderId}:1` } as never);
    return (placed as unknown as { change: Extract<OrderChange, { type: 'OrderPlaced' }> }).change.data.paymentTokenRef!;
  }

  it('is kept in the payment-token store, the order holding its reference; an order cancelled before payment deletes it', async () => {
    const user = customer();
    const orderId = (await place(user, cartFor(user.id))).data.placeOrder.order.id;
    const ref = await refOf(orderId);
    expect(await readPaymentToken(redis, ref, orderId)).toBe('tok_visa');
    expect(await redis.pttl(paymentTokenKey(ref))).toBeGreaterThan(0); // it expires on its own, too
    await bus.publish(StockReservationFailed.create({ orderId, reason: 'OUT_OF_STOCK', lines: [{ variantId: 'var_1', requested: 2, available: 0 }] }, { aggregateId: orderId }));
    await viewStatus(user, orderId, 'CANCELLED');
    await eventually(async () => (await redis.get(paymentTokenKey(ref))) === null, 5000);
  });

  it('moves the token of an order placed before the claim check (in its stream) into the store when payment is requested', async () => {
    const user = customer();
    const idempotencyKey = `legacy-${uniqueSuffix()}`;
    const orderId = orderIdFor(user.id, idempotencyKey);
    const legacyToken = 'tok_legacyMastercard';
    const change: OrderChange = {
      type: 'OrderPlaced',
      at: new Date().toISOString(),
      data: { customerId: user.id, cartId: newId('cart'), idempotencyKey, lines: [{ productId: 'prod_1', variantId: 'var_1', sku: 'MUG-1', title: 'Mug', quantity: 2, unitPrice: { amount: 1250, currencyCode: 'USD' } }], total: { amount: 2500, currencyCode: 'USD' }, shippingAddress: { ...address, line2: null }, paymentToken: legacyToken },
    };
    const state: OrderState = applyChange(null, change, orderId);
    expect(await orders.deps.committer.commit('orders', state, [], change as never)).toEqual({ ok: true });

    await bus.publish(StockReserved.create({ orderId, reservationId: `res_${orderId}`, lines: [], expiresAt: new Date().toISOString() }, { aggregateId: orderId }));
    const requested = await eventually(async () => eventsFor(PaymentRequested.type, orderId)[0]);
    expect(await readPaymentToken(redis, requested.data.paymentTokenRef, orderId)).toBe(legacyToken);
    // nothing written since carries the token: the new stream entry, its event, the order's document
    const later = await orders.deps.db.collection(ORDER_EVENTS).find({ aggregateId: orderId, version: { $gt: 1 } }).toArray();
    expect(later).toHaveLength(1);
    expect(JSON.stringify(later)).not.toContain(legacyToken);
    expect(JSON.stringify(requested)).not.toContain(legacyToken);
    await eventually(async () => ((await orders.deps.db.collection('orders').findOne({ _id: orderId } as never)) as unknown as OrderState | null)?.version === 2);
    expect(JSON.stringify(await orders.deps.db.collection('orders').findOne({ _id: orderId } as never))).not.toContain(legacyToken);
    await redis.del(paymentTokenKey(requested.data.paymentTokenRef));
  });

  it('is nowhere in the orders database nor in any orders event after every checkout above', async () => {
    await waitQuiet(everything());
    const collections = await orders.deps.db.listCollections().toArray();
    expect(collections.map((c) => c.name)).toEqual(expect.arrayContaining([ORDER_EVENTS, 'orders', 'order_views', 'processed_events']));
    let docs = 0;
    for (const { name } of collections) {
      for (const doc of await orders.deps.db.collection(name).find({}).toArray()) {
        docs += 1;
        expect(JSON.stringify(doc), `${name} ${String(doc._id)}`).not.toContain('tok_visa');
      }
    }
    expect(docs).toBeGreaterThan(50);
    expect(observer.seen.filter((e) => e.type === PaymentRequested.type).length).toBeGreaterThan(3);
    for (const e of observer.seen) expect(JSON.stringify(e), `${e.type} ${e.id}`).not.toContain('tok_visa');
  });
});
