import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus, type EventEnvelope } from '@commerce/events';
import { OrderConfirmed, PaymentAuthorized, PaymentRequested, StockReserved } from '@commerce/events/contracts';
import { CONTEXT_HEADER, newId, verifyInternalContext } from '@commerce/platform';
import { callSubgraph, eventually, isQuiet, observeEvents, serviceEnv, uniqueSuffix, testInfra, TEST_EVENTS, TEST_ROUTER_PUBLIC_KEY, type EventObserver, type QuietScope } from '@commerce/testing';
import { startOrders, type OrdersService } from '../src/index.ts';
import { ORDER_EVENTS } from '../src/domain/deps.ts';

/**
 * Security review, finding 2: the saga confirms an order only on a `payment-authorized` for its
 * own payment (`pay_<orderId>`) and exactly its total. Forged ones — published straight to NATS
 * for a real PENDING order that awaits its payment — leave it PENDING; the genuine one confirms
 * it. The saga timeout is long here, so "still PENDING" is the saga's decision, not a race with
 * the timeout sweep.
 */
const carts = new Map<string, { customerId: string; lines: unknown[] }>();
let cartServer: Server;
let orders: OrdersService;
let bus: EventBus;
let observer: EventObserver;

const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { id status cancellationReason } }`;
const address = { name: 'Ada Buyer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const everything = (): QuietScope => ({ bus, durables: [...orders.consumers, observer], dbs: [{ db: orders.deps.db, outbox: ORDER_EVENTS }] });

beforeAll(async () => {
  cartServer = createServer(async (req, res) => {
    try {
      const ctx = await verifyInternalContext(TEST_ROUTER_PUBLIC_KEY, req.headers[CONTEXT_HEADER] as string, { audience: 'orders' });
      const id = new URL(req.url!, 'http://x').searchParams.get('id')!;
      const cart = carts.get(id);
      if (!cart || cart.customerId !== ctx.user?.id) { res.writeHead(404).end('{}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, version: 1, checkedOut: false, ...cart }));
    } catch {
      res.writeHead(401).end('{}');
    }
  });
  await new Promise<void>((r) => cartServer.listen(0, '127.0.0.1', () => r()));
  const cartUrl = `http://127.0.0.1:${(cartServer.address() as AddressInfo).port}`;
  orders = await startOrders(serviceEnv('orders', { CART_INTERNAL_URL: cartUrl, ORDER_SAGA_TIMEOUT_MS: '600000' }));
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'orders-payment-check-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  observer = await observeEvents({ bus, subject: 'commerce.orders.>' });
}, 60_000);

afterAll(async () => {
  await observer?.stop();
  await orders?.stop();
  await bus?.close();
  cartServer?.close();
});

/** A real order (placeOrder), its stock reserved and its payment requested: PENDING, awaiting `payment-authorized`. */
async function orderAwaitingPayment(): Promise<{ orderId: string; user: { id: string; roles: Array<'CUSTOMER'> } }> {
  const user = { id: `cust_${uniqueSuffix()}`, roles: ['CUSTOMER' as const] };
  const cartId = newId('cart');
  carts.set(cartId, { customerId: user.id, lines: [{ productId: 'prod_1', variantId: 'var_1', sku: 'MUG-1', title: 'Mug', quantity: 2, unitPrice: { amount: 1250, currencyCode: 'USD' } }] });
  const r = await callSubgraph<any>(orders.url, PLACE, { input: { cartId, paymentToken: 'tok_visa', idempotencyKey: `k-${uniqueSuffix()}`, shippingAddress: address } }, user);
  expect(r.data.placeOrder.userErrors).toEqual([]);
  const orderId = r.data.placeOrder.order.id as string;
  await bus.publish(StockReserved.create({ orderId, reservationId: `res_${orderId}`, lines: [{ variantId: 'var_1', quantity: 2 }], expiresAt: new Date(Date.now() + 60_000).toISOString() }, { aggregateId: orderId }));
  await eventually(async () => observer.seen.find((e) => e.type === PaymentRequested.type && e.aggregateId === orderId));
  return { orderId, user };
}

const authorization = (orderId: string, overrides: Partial<{ paymentId: string; amount: { amount: number; currencyCode: string } }> = {}) =>
  PaymentAuthorized.create({ orderId, paymentId: `pay_${orderId}`, amount: { amount: 2500, currencyCode: 'USD' }, brand: 'visa', last4: '4242', ...overrides }, { aggregateId: `pay_${orderId}` });

/** True once the saga's payment-authorized consumer claimed every one of these events, and everything is quiet. */
async function handled(events: EventEnvelope[]): Promise<boolean> {
  const saga = orders.consumers.find((c) => c.durable.endsWith('orders-saga--payments-payment-authorized-v1'))!;
  const n = await orders.deps.db.collection('processed_events').countDocuments({ _id: { $in: events.map((e) => `${saga.durable}:${e.id}`) } } as never);
  return n === events.length && isQuiet(everything());
}

async function mismatchCounts(): Promise<Record<string, number>> {
  const metric = await orders.deps.sagaMetrics!.paymentMismatches!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.reason), v.value]));
}

const confirmations = (orderId: string) => observer.seen.filter((e) => e.type === OrderConfirmed.type && e.aggregateId === orderId);

describe('payment-authorized is checked against the order', () => {
  it('leaves a PENDING order unconfirmed on a wrong amount, currency or payment id (also redelivered), and confirms it on its own payment', async () => {
    const { orderId, user } = await orderAwaitingPayment();
    const other = await orderAwaitingPayment();
    const before = await mismatchCounts();
    const forged = [
      authorization(orderId, { amount: { amount: 1, currencyCode: 'USD' } }), // wrong amount
      authorization(orderId, { amount: { amount: 2500, currencyCode: 'EUR' } }), // wrong currency
      authorization(orderId, { paymentId: 'pay_1' }), // a made-up payment
      authorization(orderId, { paymentId: `pay_${other.orderId}` }), // another order's payment, same amount
    ];
    for (const e of forged) await bus.publish(e);
    // a copy of each (same event id, new message): redelivery decides the same and counts nothing more
    for (const e of forged) await bus.publishRaw(e.type, JSON.stringify(e), `${e.id}-again`);
    await eventually(() => handled(forged), 15_000, 100);

    expect((await callSubgraph<any>(orders.url, ORDER, { id: orderId }, user)).data.order).toEqual({ id: orderId, status: 'PENDING', cancellationReason: null });
    expect(confirmations(orderId)).toEqual([]);
    expect(await orders.deps.db.collection(ORDER_EVENTS).countDocuments({ aggregateId: orderId, 'change.type': 'OrderConfirmed' })).toBe(0);
    const after = await mismatchCounts();
    const delta = (reason: string) => (after[reason] ?? 0) - (before[reason] ?? 0);
    expect({ amount: delta('amount'), currency: delta('currency'), payment_id: delta('payment_id') }).toEqual({ amount: 1, currency: 1, payment_id: 2 });
    // the other order was not touched either
    expect((await callSubgraph<any>(orders.url, ORDER, { id: other.orderId }, other.user)).data.order.status).toBe('PENDING');

    // the genuine authorization still confirms it, once
    const genuine = authorization(orderId);
    await bus.publish(genuine);
    await eventually(() => handled([genuine]), 15_000, 100);
    expect((await callSubgraph<any>(orders.url, ORDER, { id: orderId }, user)).data.order.status).toBe('CONFIRMED');
    expect(confirmations(orderId)).toHaveLength(1);
    const confirmed = await orders.deps.db.collection(ORDER_EVENTS).findOne({ aggregateId: orderId, 'change.type': 'OrderConfirmed' });
    expect(confirmed?.change.data).toEqual({ paymentId: `pay_${orderId}` });
    expect(await mismatchCounts()).toEqual(after);

    // a forged one after confirmation changes nothing (it is still reported)
    const late = authorization(orderId, { amount: { amount: 1, currencyCode: 'USD' } });
    await bus.publish(late);
    await eventually(() => handled([late]), 15_000, 100);
    expect(confirmations(orderId)).toHaveLength(1);
    expect((await mismatchCounts()).amount).toBe((after.amount ?? 0) + 1);
  });
});
