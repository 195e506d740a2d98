import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepPaymentToken, OrderCancelled, OrderConfirmed, PaymentAuthorized, PaymentCaptured, PaymentDeclined, PaymentRefunded, PaymentRequested, PaymentRequestedV1, paymentTokenKey, PaymentVoided } from '@commerce/events/contracts';
import { CommandCounter } from '@commerce/platform';
import { ADMIN, CUSTOMER, callSubgraph, eventually, expectOneBatch, gql } from '@commerce/testing';
import { cancelPayment } from '../src/domain/cancel-payment.ts';
import { capturePayment } from '../src/domain/capture-payment.ts';
import { PaymentBusyError } from '../src/domain/deps.ts';
import { paymentIdFor, PAYMENTS_COLLECTION, requested, type PaymentRecord } from '../src/domain/payment.ts';
import { requestPayment } from '../src/domain/request-payment.ts';
import { TEST_PROVIDER_COLLECTION } from '../src/domain/test-provider.ts';
import { cause, Harness, newCustomerId, USD } from './helpers.ts';

const ORDER_PAYMENT = /* GraphQL */ `
  query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id payment { status brand last4 amount { amount currencyCode } declineReason } } } }`;

let h: Harness;
beforeAll(async () => {
  h = await new Harness().start();
});
afterAll(async () => {
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asCustomer = (id: string) => ({ id, roles: ['CUSTOMER' as const] });

function request(orderId: string, paymentToken: string, customerId = newCustomerId(), amount = USD(2599)) {
  return { orderId, customerId, amount, paymentToken, idempotencyKey: `key-${orderId.slice(-6)}` };
}
function cancelled(orderId: string, customerId: string, wasConfirmed = false) {
  return { orderId, customerId, reason: 'CUSTOMER_REQUEST' as const, lines: [], wasConfirmed, cancelledAt: new Date().toISOString() };
}
function confirmed(orderId: string, customerId: string) {
  return { orderId, customerId, lines: [], total: USD(2599), confirmedAt: new Date().toISOString() };
}
async function paymentOf(orderId: string) {
  const r = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: [{ __typename: 'Order', id: orderId }] }, ADMIN);
  expect(r.errors).toBeUndefined();
  return r.data!._entities[0].payment;
}
async function stored(orderId: string): Promise<PaymentRecord | null> {
  return h.svc.db.collection<PaymentRecord>(PAYMENTS_COLLECTION).findOne({ _id: paymentIdFor(orderId) });
}

describe('payment-requested → the test provider', () => {
  const cases = [
    { token: 'tok_visa', event: PaymentAuthorized, data: { brand: 'visa', last4: '4242' }, status: 'AUTHORIZED' },
    { token: 'tok_mastercard', event: PaymentAuthorized, data: { brand: 'mastercard', last4: '4444' }, status: 'AUTHORIZED' },
    { token: 'tok_chargeDeclined', event: PaymentDeclined, data: { reason: 'CARD_DECLINED' }, status: 'DECLINED' },
    { token: 'tok_insufficientFunds', event: PaymentDeclined, data: { reason: 'INSUFFICIENT_FUNDS' }, status: 'DECLINED' },
    { token: 'tok_unknownCard', event: PaymentDeclined, data: { reason: 'INVALID_TOKEN' }, status: 'DECLINED' },
  ];

  it('answers each test token with the right event and payment state', async () => {
    const orders = cases.map(() => h.newOrderId());
    await Promise.all(cases.map((c, i) => h.requestPayment(request(orders[i]!, c.token))));
    for (const [i, c] of cases.entries()) {
      const orderId = orders[i]!;
      const e = await h.event(orderId, c.event);
      expect(e.data).toMatchObject({ orderId, paymentId: paymentIdFor(orderId), ...c.data });
      expect(e.aggregateId).toBe(paymentIdFor(orderId));
      if (c.event === PaymentAuthorized) expect(e.data.amount).toEqual(USD(2599));
      const payment = await paymentOf(orderId);
      expect(payment).toMatchObject({ status: c.status, amount: { amount: '25.99', currencyCode: 'USD' } });
      if (c.status === 'AUTHORIZED') expect(payment).toMatchObject({ ...c.data, declineReason: null });
      else expect(payment).toMatchObject({ brand: null, last4: null, declineReason: (c.data as { reason: string }).reason });
      expect(h.log.authorizeCalls(orderId)).toBe(1);
    }
  });
});

describe('authorize once per order', () => {
  it('authorizes once when the same request arrives twice', async () => {
    const orderId = h.newOrderId();
    const data = request(orderId, 'tok_visa');
    const first = await h.requestPayment(data);
    const second = await h.requestPayment(data);
    await h.event(orderId, PaymentAuthorized);
    // both copies handled, everything committed published and seen: a second answer would be counted
    await eventually(() => h.processed([first.id, second.id]), 8000);
    expect(await h.events(orderId, PaymentAuthorized)).toHaveLength(1);
    expect(await h.events(orderId)).toHaveLength(1);
    expect(h.log.authorizeCalls(orderId)).toBe(1);
    expect(await h.svc.db.collection(TEST_PROVIDER_COLLECTION).countDocuments({ _id: `authorize:${(await stored(orderId))!.authorizationKey}` } as never)).toBe(1);
  });

  it('authorizes once for 5 concurrent deliveries of one request (in-process, against the real database)', async () => {
    const orderId = h.newOrderId();
    const data = request(orderId, 'tok_mastercard');
    h.log.authorizeDelay.set(orderId, 150);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => requestPayment(h.svc.deps, data, cause())));
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name));
    expect(outcomes.filter((o) => o === 'authorized')).toHaveLength(1);
    // the others found the authorization claimed (busy: redelivered later) or already answered
    expect(outcomes.filter((o) => o === PaymentBusyError.name)).toHaveLength(4);
    expect(await requestPayment(h.svc.deps, data, cause())).toBe('already-handled');
    expect(h.log.authorizeCalls(orderId)).toBe(1);
    await h.event(orderId, PaymentAuthorized);
    await h.quiet();
    expect(await h.events(orderId, PaymentAuthorized)).toHaveLength(1);
  });

  it('authorizes once for 5 copies published at once to two instances with a slow provider', async () => {
    const second = await h.addInstance({ PAYMENTS_PROVIDER_DELAY_MS: '100' });
    try {
      const orderId = h.newOrderId();
      const data = request(orderId, 'tok_visa');
      h.log.authorizeDelay.set(orderId, 150);
      const published = await Promise.all(Array.from({ length: 5 }, () => h.requestPayment(data)));
      await h.event(orderId, PaymentAuthorized);
      await eventually(() => h.processed(published.map((e) => e.id)), 10_000);
      expect(await h.events(orderId, PaymentAuthorized)).toHaveLength(1);
      expect(await h.events(orderId)).toHaveLength(1);
      expect(h.log.authorizeCalls(orderId)).toBe(1);
      expect((await stored(orderId))!.status).toBe('AUTHORIZED');
    } finally {
      await second.stop();
      h.services.splice(h.services.indexOf(second), 1);
    }
  });

  it('retries with backoff when the provider fails, and still authorizes once', async () => {
    const orderId = h.newOrderId();
    h.log.failAuthorize.set(orderId, 1);
    await h.requestPayment(request(orderId, 'tok_visa'));
    await h.event(orderId, PaymentAuthorized);
    expect(h.log.authorizeCalls(orderId)).toBe(2); // the failed call, then the redelivery
    const p = (await stored(orderId))!;
    expect(p).toMatchObject({ status: 'AUTHORIZED', operation: null });
    expect(await h.svc.db.collection(TEST_PROVIDER_COLLECTION).countDocuments({ _id: `authorize:${p.authorizationKey}` } as never)).toBe(1);
  });

  it('takes over an authorization whose claimer died (expired lease), getting the stored answer', async () => {
    const orderId = h.newOrderId();
    const data = request(orderId, 'tok_visa');
    // a dead instance claimed version 1 and even reached the provider, then vanished
    const dead = requested({ ...data, claim: { kind: 'authorize', id: 'dead', until: Date.now() - 1 }, now: new Date() });
    expect(await h.svc.deps.committer.commit(PAYMENTS_COLLECTION, dead, [])).toEqual({ ok: true });
    const first = await h.svc.provider.authorize({ token: data.paymentToken, amount: data.amount, idempotencyKey: dead.authorizationKey! });
    await h.requestPayment(data);
    const e = await h.event(orderId, PaymentAuthorized);
    expect(first.ok && e.data.last4 === first.last4).toBe(true);
    expect((await stored(orderId))!.providerRef).toBe(first.ok ? first.providerRef : 'x');
    expect(await h.svc.db.collection(TEST_PROVIDER_COLLECTION).countDocuments({ _id: `authorize:${dead.authorizationKey}` } as never)).toBe(1);
  });

  it('leaves a live claim alone (busy) instead of authorizing a second time', async () => {
    const orderId = h.newOrderId();
    const data = request(orderId, 'tok_visa');
    const live = requested({ ...data, claim: { kind: 'authorize', id: 'alive', until: Date.now() + 60_000 }, now: new Date() });
    await h.svc.deps.committer.commit(PAYMENTS_COLLECTION, live, []);
    await expect(requestPayment(h.svc.deps, data, cause())).rejects.toBeInstanceOf(PaymentBusyError);
    expect(h.log.authorizeCalls(orderId)).toBe(0);
  });
});

describe('order-cancelled compensates', () => {
  it('voids an authorized payment', async () => {
    const orderId = h.newOrderId();
    const customerId = newCustomerId();
    await h.requestPayment(request(orderId, 'tok_visa', customerId));
    await h.event(orderId, PaymentAuthorized);
    const c1 = await h.publish(OrderCancelled, cancelled(orderId, customerId), orderId);
    const c2 = await h.publish(OrderCancelled, cancelled(orderId, customerId), orderId); // a duplicate compensates nothing more
    const voided = await h.event(orderId, PaymentVoided);
    expect(voided.data).toEqual({ orderId, paymentId: paymentIdFor(orderId) });
    await eventually(() => h.processed([c1.id, c2.id]));
    expect(await h.events(orderId, PaymentVoided)).toHaveLength(1);
    expect(await paymentOf(orderId)).toMatchObject({ status: 'VOIDED', brand: 'visa', last4: '4242' });
    const ref = (await stored(orderId))!.providerRef!;
    expect(h.log.void.filter((r) => r === ref)).toHaveLength(1);
  });

  it('captures on order-confirmed, then refunds when the confirmed order is cancelled', async () => {
    const orderId = h.newOrderId();
    const customerId = newCustomerId();
    await h.requestPayment(request(orderId, 'tok_mastercard', customerId));
    await h.event(orderId, PaymentAuthorized);
    await h.publish(OrderConfirmed, confirmed(orderId, customerId), orderId);
    const captured = await h.event(orderId, PaymentCaptured);
    expect(captured.data).toEqual({ orderId, paymentId: paymentIdFor(orderId), amount: USD(2599) });
    expect((await paymentOf(orderId)).status).toBe('CAPTURED');
    await h.publish(OrderCancelled, cancelled(orderId, customerId, true), orderId);
    const refunded = await h.event(orderId, PaymentRefunded);
    expect(refunded.data).toEqual({ orderId, paymentId: paymentIdFor(orderId), amount: USD(2599), refundId: `rf_cancel_${orderId}`, refundedTotal: USD(2599), fullyRefunded: true });
    expect((await paymentOf(orderId)).status).toBe('REFUNDED');
    expect((await h.events(orderId)).map((e) => e.type)).toEqual([PaymentAuthorized.type, PaymentCaptured.type, PaymentRefunded.type]);
    const ref = (await stored(orderId))!.providerRef!;
    expect([h.log.capture.filter((r) => r === ref).length, h.log.void.filter((r) => r === ref).length, h.log.refund.filter((r) => r === ref).length]).toEqual([1, 0, 1]);
  });

  it('declines a payment-requested that arrives after the cancellation (ORDER_CANCELLED), never calling the provider', async () => {
    const orderId = h.newOrderId();
    const customerId = newCustomerId();
    await h.publish(OrderCancelled, { ...cancelled(orderId, customerId), reason: 'TIMEOUT' }, orderId);
    await eventually(async () => (await stored(orderId))?.status === 'NOT_REQUESTED');
    // the order never got a payment: none to show
    expect(await paymentOf(orderId)).toBeNull();
    await h.requestPayment(request(orderId, 'tok_visa', customerId));
    const declined = await h.event(orderId, PaymentDeclined);
    expect(declined.data).toEqual({ orderId, paymentId: paymentIdFor(orderId), reason: 'ORDER_CANCELLED' });
    expect(h.log.authorizeCalls(orderId)).toBe(0);
    expect(await paymentOf(orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'ORDER_CANCELLED', brand: null });
    await h.quiet();
    expect((await h.events(orderId)).map((e) => e.type)).toEqual([PaymentDeclined.type]);
  });

  it('voids at once when the order is cancelled while the provider is authorizing', async () => {
    const orderId = h.newOrderId();
    const customerId = newCustomerId();
    const data = request(orderId, 'tok_visa', customerId);
    h.log.authorizeDelay.set(orderId, 300);
    const authorizing = requestPayment(h.svc.deps, data, cause());
    await eventually(async () => (await stored(orderId))?.status === 'PENDING', 2000, 10);
    await cancelPayment(h.svc.deps, { orderId, customerId }, cause());
    expect((await stored(orderId))!.orderCancelled).toBe(true);
    expect(await authorizing).toBe('authorized');
    expect((await stored(orderId))!.status).toBe('VOIDED');
    await h.event(orderId, PaymentVoided);
    await h.quiet();
    expect((await h.events(orderId)).map((e) => e.type)).toEqual([PaymentVoided.type]); // never announced as authorized
  });
});

describe('capture and cancellation racing', () => {
  it('never both captures and voids one authorization; the payment ends VOIDED or REFUNDED', async () => {
    const customerId = newCustomerId();
    const orders = [h.newOrderId(), h.newOrderId(), h.newOrderId()];
    await Promise.all(orders.map((o) => requestPayment(h.svc.deps, request(o, 'tok_visa', customerId), cause())));
    /** a consumer retries a busy handler; so does this */
    const retrying = async (run: () => Promise<unknown>) => {
      for (let i = 0; ; i++) {
        try {
          return await run();
        } catch (err) {
          if (!(err instanceof PaymentBusyError) || i > 50) throw err;
          await sleep(20);
        }
      }
    };
    await Promise.all(
      orders.flatMap((orderId) => [
        retrying(() => capturePayment(h.svc.deps, { orderId }, cause())),
        retrying(() => cancelPayment(h.svc.deps, { orderId, customerId }, cause())),
      ]),
    );
    for (const orderId of orders) {
      const p = (await stored(orderId))!;
      expect(['VOIDED', 'REFUNDED']).toContain(p.status);
      expect(p.operation).toBeNull();
      const calls = { capture: h.log.capture.filter((r) => r === p.providerRef).length, void: h.log.void.filter((r) => r === p.providerRef).length, refund: h.log.refund.filter((r) => r === p.providerRef).length };
      expect(calls).toEqual(p.status === 'VOIDED' ? { capture: 0, void: 1, refund: 0 } : { capture: 1, void: 0, refund: 1 });
    }
  });
});

describe('Order.payment', () => {
  it('resolves N orders with one batch, and only for their customer or an admin', async () => {
    const alice = newCustomerId();
    const bob = newCustomerId();
    const aliceOrders = [h.newOrderId(), h.newOrderId()];
    const bobOrder = h.newOrderId();
    await Promise.all([
      ...aliceOrders.map((o) => requestPayment(h.svc.deps, request(o, 'tok_visa', alice), cause())),
      requestPayment(h.svc.deps, request(bobOrder, 'tok_chargeDeclined', bob), cause()),
    ]);
    const unknown = h.newOrderId();
    const reps = [...aliceOrders, bobOrder, unknown].map((id) => ({ __typename: 'Order', id }));

    const counter = new CommandCounter(h.svc.conn);
    const admin = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps }, ADMIN);
    counter.stop();
    expect(admin.errors).toBeUndefined();
    await expectOneBatch(h.svc.db, counter, PAYMENTS_COLLECTION, reps.map((r) => paymentIdFor(r.id)));
    expect(admin.data!._entities.map((o: { payment: { status: string } | null }) => o.payment?.status ?? null)).toEqual(['AUTHORIZED', 'AUTHORIZED', 'DECLINED', null]);

    const own = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: reps.slice(0, 2) }, asCustomer(alice));
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities).toEqual(aliceOrders.map((id) => ({ id, payment: { status: 'AUTHORIZED', brand: 'visa', last4: '4242', amount: { amount: '25.99', currencyCode: 'USD' }, declineReason: null } })));

    // someone else's order: payment null with FORBIDDEN; an unknown order: null without error
    const foreign = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: [reps[2], reps[3]] }, asCustomer(alice));
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(foreign.data!._entities).toEqual([{ id: bobOrder, payment: null }, { id: unknown, payment: null }]);
    expect(JSON.stringify(foreign.data)).not.toContain('DECLINED');

    const other = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: reps.slice(0, 1) }, CUSTOMER);
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const anonymous = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: reps.slice(0, 1) }, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data!._entities).toEqual([{ id: aliceOrders[0], payment: null }]);
  });

  it('answers only the router', async () => {
    const r = await gql(h.svc.url, ORDER_PAYMENT, { reps: [{ __typename: 'Order', id: h.newOrderId() }] });
    expect(r.status).toBe(401);
    expect(r.data).toBeUndefined();
    const ready = await fetch(h.svc.url.replace('/graphql', '/health/ready'));
    expect(ready.status).toBe(200);
    const sdl = await callSubgraph(h.svc.url, '{ _service { sdl } }');
    expect(sdl.data?._service.sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
  });
});

describe('the payment-token store (claim check)', () => {
  it('reads the token under the request\'s reference for the provider call, and deletes it once the payment is settled', async () => {
    const orderId = h.newOrderId();
    const requestedEvent = await h.requestPayment(request(orderId, 'tok_visa'));
    const ref = (requestedEvent.data as { paymentTokenRef: string }).paymentTokenRef;
    expect(requestedEvent.data).not.toHaveProperty('paymentToken');
    expect(await h.event(orderId, PaymentAuthorized)).toMatchObject({ data: { brand: 'visa', last4: '4242' } });
    await h.quiet();
    expect(await h.redis.get(paymentTokenKey(ref))).toBeNull();
    // a redelivery of the settled request needs no token: it is already handled
    expect(await requestPayment(h.svc.deps, { ...request(orderId, 'tok_visa'), paymentToken: undefined, paymentTokenRef: ref }, cause())).toBe('already-handled');
    expect(h.log.authorizeCalls(orderId)).toBe(1);
  });

  it('declines with INVALID_TOKEN, never calling the provider, when the token is not kept for this order (unknown, expired, another order\'s)', async () => {
    const other = h.newOrderId();
    const elsewhere = await keepPaymentToken(h.redis, other, 'tok_visa', 60_000); // kept for another order
    const expired = await keepPaymentToken(h.redis, h.newOrderId(), 'tok_visa', 1);
    const unknown = `ptok_${'0'.repeat(32)}`;
    for (const ref of [elsewhere, expired, unknown]) {
      const orderId = h.newOrderId();
      await h.publish(PaymentRequested, { orderId, customerId: newCustomerId(), amount: USD(2599), paymentTokenRef: ref, idempotencyKey: 'k' }, orderId);
      expect((await h.event(orderId, PaymentDeclined)).data).toEqual({ orderId, paymentId: paymentIdFor(orderId), reason: 'INVALID_TOKEN' });
      expect(h.log.authorizeCalls(orderId)).toBe(0);
    }
    // the other order's token was not spent: it is still kept for that order
    expect(await h.redis.get(paymentTokenKey(elsewhere))).toContain(other);
    await h.redis.del(paymentTokenKey(elsewhere));
  });

  it('still answers a v1 payment-requested that carries the token itself (published by the previous release during a deploy)', async () => {
    const orderId = h.newOrderId();
    await h.publish(PaymentRequestedV1, request(orderId, 'tok_mastercard'), orderId);
    expect((await h.event(orderId, PaymentAuthorized)).data).toMatchObject({ orderId, brand: 'mastercard', last4: '4444' });
    expect(h.log.authorizeCalls(orderId)).toBe(1);
  });
});

describe('card data', () => {
  it('keeps no payment token anywhere: the payments database, the events payments published, the token store once used', async () => {
    expect(h.tokens.size).toBeGreaterThanOrEqual(5);
    await h.quiet();
    const collections = await h.svc.db.listCollections().toArray();
    expect(collections.map((c) => c.name)).toEqual(expect.arrayContaining([PAYMENTS_COLLECTION, 'outbox', TEST_PROVIDER_COLLECTION, 'processed_events']));
    let docs = 0;
    for (const { name } of collections) {
      for (const doc of await h.svc.db.collection(name).find({}).toArray()) {
        docs += 1;
        const text = JSON.stringify(doc);
        for (const token of h.tokens) expect(text, `${name} ${String(doc._id)}`).not.toContain(token);
        for (const pan of ['4242424242424242', '5555555555554444']) expect(text).not.toContain(pan); // the test cards' numbers
      }
    }
    expect(docs).toBeGreaterThan(20);
    // every payments event on the stream since the start (complete once quiet)
    expect(h.seen.length).toBeGreaterThan(20);
    for (const e of h.seen) for (const token of h.tokens) expect(JSON.stringify(e), `${e.type} ${e.id}`).not.toContain(token);
    // every token handed over through the store was deleted once its payment was settled
    expect(h.refs.size).toBeGreaterThanOrEqual(10);
    for (const [key, ref] of h.refs) expect(await h.redis.get(paymentTokenKey(ref)), key).toBeNull();
  });
});
