import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@commerce/events';
import { PaymentRefunded, PaymentRefundRejected, RefundRequested } from '@commerce/events/contracts';
import { CommandCounter, newId } from '@commerce/platform';
import { ADMIN, callSubgraph, eventually, expectOneBatch } from '@commerce/testing';
import { cancelPayment } from '../src/domain/cancel-payment.ts';
import { capturePayment } from '../src/domain/capture-payment.ts';
import { PaymentBusyError } from '../src/domain/deps.ts';
import { paymentIdFor, PAYMENTS_COLLECTION, type PaymentRecord } from '../src/domain/payment.ts';
import { PaymentProviderError } from '../src/domain/provider.ts';
import { refundPayment } from '../src/domain/refund-payment.ts';
import { requestPayment } from '../src/domain/request-payment.ts';
import { refundLinkId, TEST_PROVIDER_COLLECTION, TestPaymentProvider } from '../src/domain/test-provider.ts';
import { cause, Harness, newCustomerId, USD } from './helpers.ts';

/**
 * Partial refunds from support tickets (`refund-requested`) against real FerretDB and NATS: the
 * amounts concurrent requests add up to never exceed the capture, a refund id is paid back once
 * whatever is redelivered, and a cancellation pays back only what is left.
 */
let h: Harness;
beforeAll(async () => {
  h = await new Harness().start();
});
afterAll(async () => {
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asCustomer = (id: string) => ({ id, roles: ['CUSTOMER' as const] });

const PAYMENT_REFS = /* GraphQL */ `
  query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Payment { id status amount { amount } refundedAmount { amount currencyCode } refunds { id amount { amount } status rejectionReason createdAt } } } }`;
const ORDER_PAYMENT = /* GraphQL */ `
  query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id payment { id status refundedAmount { amount } refunds { id status } } } } }`;

function refundAsk(orderId: string, amount: number, currencyCode = 'USD') {
  return { refundId: newId('rf'), orderId, ticketId: newId('tkt'), amount: { amount, currencyCode }, requestedBy: 'cust_agent' };
}

/** A payment authorized and captured (in-process, against the real database and test provider). */
async function capturedPayment(amount = 10_000, customerId = newCustomerId()): Promise<{ orderId: string; customerId: string; ref: string }> {
  const orderId = h.newOrderId();
  await requestPayment(h.svc.deps, { orderId, customerId, amount: USD(amount), paymentToken: 'tok_visa', idempotencyKey: `key-${orderId.slice(-6)}` }, cause());
  await capturePayment(h.svc.deps, { orderId }, cause());
  const p = await latest(orderId);
  expect(p.status).toBe('CAPTURED');
  return { orderId, customerId, ref: p.providerRef! };
}

/** The payment's newest committed state (its newest outbox entry: exact even while a document write lags). */
async function latest(orderId: string): Promise<PaymentRecord> {
  const [entry] = await h.svc.db.collection<OutboxEntry>('outbox').find({ collection: PAYMENTS_COLLECTION, aggregateId: paymentIdFor(orderId) }).sort({ version: -1 }).limit(1).toArray();
  return entry!.state as PaymentRecord;
}

/** A consumer retries a busy handler with backoff; so does this. */
async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof PaymentBusyError) || i > 100) throw err;
      await sleep(20);
    }
  }
}

/** The state, events and provider calls of a payment's refunds. */
async function refundsOf(orderId: string, ref: string) {
  const p = await latest(orderId);
  const refunds = p.refunds ?? [];
  return {
    payment: p,
    succeeded: refunds.filter((r) => r.status === 'SUCCEEDED'),
    rejected: refunds.filter((r) => r.status === 'REJECTED'),
    pending: refunds.filter((r) => r.status === 'PENDING'),
    refundedEvents: await h.committedEvents(orderId, PaymentRefunded),
    rejectedEvents: await h.committedEvents(orderId, PaymentRefundRejected),
    providerCalls: h.log.refundCalls.filter((c) => c.ref === ref),
    providerLinks: await h.svc.db.collection(TEST_PROVIDER_COLLECTION).countDocuments({ providerRef: ref, kind: 'refund' }),
  };
}

describe('refund-requested, concurrently', () => {
  it('refunds exactly what fits of 5 requests published at once to two instances; redeliveries refund nothing more', async () => {
    const second = await h.addInstance({ PAYMENTS_PROVIDER_DELAY_MS: '50' });
    try {
      const { orderId, ref } = await capturedPayment(10_000);
      const asks = Array.from({ length: 5 }, () => refundAsk(orderId, 3000));
      const published = await Promise.all(asks.map((a) => h.publish(RefundRequested, a, orderId)));
      await eventually(() => h.processed(published.map((e) => e.id)), 30_000, 100);

      const r = await refundsOf(orderId, ref);
      expect(r.pending).toEqual([]);
      expect(r.succeeded).toHaveLength(3); // 3 × 30.00 fit in 100.00; a fourth would not
      expect(r.rejected).toHaveLength(2);
      expect(r.rejected.map((x) => x.rejectionReason)).toEqual(['EXCEEDS_CAPTURED', 'EXCEEDS_CAPTURED']);
      expect(r.succeeded.reduce((t, x) => t + x.amount.amount, 0)).toBeLessThanOrEqual(10_000);
      expect(r.payment.status).toBe('CAPTURED');
      expect(r.payment.operation).toBeNull();
      // one PaymentRefunded per refund made, with the running total; one rejection per other request
      const succeededIds = r.succeeded.map((x) => x.id).sort();
      expect(r.refundedEvents.map((e) => e.data.refundId).sort()).toEqual(succeededIds);
      expect(r.refundedEvents.map((e) => e.data.refundedTotal.amount).sort()).toEqual([3000, 6000, 9000]);
      expect(r.refundedEvents.every((e) => e.data.fullyRefunded === false && e.data.amount.amount === 3000)).toBe(true);
      expect(r.rejectedEvents.map((e) => [e.data.refundId, e.data.reason]).sort()).toEqual(r.rejected.map((x) => [x.id, 'EXCEEDS_CAPTURED']).sort());
      // the provider was asked once per refund made, keyed by its refund id
      expect(r.providerCalls.map((c) => c.key).sort()).toEqual(succeededIds);
      expect(r.providerLinks).toBe(3);
      // and the answers went out on the stream
      await eventually(async () => (await h.events(orderId, PaymentRefunded)).length === 3 && (await h.events(orderId, PaymentRefundRejected)).length === 2, 8000);

      // the same requests again (new event ids, same refund ids): answered already, nothing moves
      const again = await Promise.all([asks[0]!, asks[1]!, asks[2]!, asks[3]!, asks[4]!].map((a) => h.publish(RefundRequested, a, orderId)));
      await eventually(() => h.processed(again.map((e) => e.id)), 30_000, 100);
      const after = await refundsOf(orderId, ref);
      expect(after.succeeded.map((x) => x.id).sort()).toEqual(succeededIds);
      expect(after.rejected).toHaveLength(2);
      expect(after.refundedEvents).toHaveLength(3);
      expect(after.rejectedEvents).toHaveLength(2);
      expect(after.providerCalls).toHaveLength(3);
      expect(after.providerLinks).toBe(3);

      const api = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps: [{ __typename: 'Payment', id: paymentIdFor(orderId) }] }, ADMIN);
      expect(api.errors).toBeUndefined();
      expect(api.data!._entities[0]).toMatchObject({ id: paymentIdFor(orderId), status: 'PARTIALLY_REFUNDED', amount: { amount: '100.00' }, refundedAmount: { amount: '90.00', currencyCode: 'USD' } });
      expect(api.data!._entities[0].refunds.map((x: { id: string }) => x.id)).toEqual(r.payment.refunds!.map((x) => x.id)); // in request order
    } finally {
      await second.stop();
      h.services.splice(h.services.indexOf(second), 1);
    }
  });

  it('refunds exactly what fits of 5 concurrent in-process requests (each retried while busy, like a consumer)', async () => {
    const { orderId, ref } = await capturedPayment(10_000);
    const asks = Array.from({ length: 5 }, () => refundAsk(orderId, 3000));
    const outcomes = await Promise.all(asks.map((a) => retrying(() => refundPayment(h.svc.deps, a, cause()))));
    // a request that was busy at settle time recorded its answer first, so its retry finds it answered
    expect(outcomes.filter((o) => o === 'rejected').length).toBeLessThanOrEqual(2);
    const r = await refundsOf(orderId, ref);
    expect([r.succeeded.length, r.rejected.length, r.pending.length]).toEqual([3, 2, 0]);
    expect(r.providerCalls.map((c) => c.key).sort()).toEqual(r.succeeded.map((x) => x.id).sort());
    expect(r.refundedEvents).toHaveLength(3);
    expect(r.rejectedEvents).toHaveLength(2);
    // and each again, in parallel: nothing more
    expect(await Promise.all(asks.map((a) => retrying(() => refundPayment(h.svc.deps, a, cause()))))).toEqual(asks.map(() => 'already-answered'));
    const after = await refundsOf(orderId, ref);
    expect([after.providerCalls.length, after.refundedEvents.length, after.rejectedEvents.length]).toEqual([3, 3, 2]);
  });
});

describe('cancellation after partial refunds', () => {
  it('pays back only the remainder, as rf_cancel_<orderId>, and ends REFUNDED', async () => {
    const { orderId, customerId, ref } = await capturedPayment(10_000);
    const ask = refundAsk(orderId, 3000);
    expect(await refundPayment(h.svc.deps, ask, cause())).toBe('accepted');
    await cancelPayment(h.svc.deps, { orderId, customerId }, cause());
    const r = await refundsOf(orderId, ref);
    expect(r.payment.status).toBe('REFUNDED');
    expect(r.providerCalls.map((c) => [c.key, c.amount])).toEqual([[ask.refundId, 3000], [`rf_cancel_${orderId}`, 7000]]);
    expect(r.refundedEvents.map((e) => e.data)).toEqual([
      { orderId, paymentId: paymentIdFor(orderId), amount: USD(3000), refundId: ask.refundId, refundedTotal: USD(3000), fullyRefunded: false },
      { orderId, paymentId: paymentIdFor(orderId), amount: USD(7000), refundId: `rf_cancel_${orderId}`, refundedTotal: USD(10_000), fullyRefunded: true },
    ]);
    // a cancellation delivered again pays back nothing more; a refund asked for now finds nothing captured
    await cancelPayment(h.svc.deps, { orderId, customerId }, cause());
    expect(await refundPayment(h.svc.deps, refundAsk(orderId, 1), cause())).toBe('rejected');
    const after = await refundsOf(orderId, ref);
    expect(after.providerCalls).toHaveLength(2);
    expect(after.rejectedEvents.map((e) => e.data.reason)).toEqual(['NOT_CAPTURED']);
    const api = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps: [{ __typename: 'Payment', id: paymentIdFor(orderId) }] }, ADMIN);
    expect(api.data!._entities[0]).toMatchObject({ status: 'REFUNDED', refundedAmount: { amount: '100.00' } });
  });

  it('calls the provider no more when refunds already paid everything back', async () => {
    const { orderId, customerId, ref } = await capturedPayment(5000);
    expect(await refundPayment(h.svc.deps, refundAsk(orderId, 5000), cause())).toBe('accepted');
    expect((await latest(orderId)).status).toBe('REFUNDED');
    await cancelPayment(h.svc.deps, { orderId, customerId }, cause());
    const r = await refundsOf(orderId, ref);
    expect(r.providerCalls).toHaveLength(1);
    expect(r.refundedEvents.map((e) => e.data.fullyRefunded)).toEqual([true]);
    expect(r.payment).toMatchObject({ status: 'REFUNDED', orderCancelled: true, operation: null });
  });
});

describe('rejections', () => {
  it('rejects a refund of an unknown payment (UNKNOWN_PAYMENT) once, also after the payment appears', async () => {
    const orderId = h.newOrderId();
    const ask = refundAsk(orderId, 1000);
    const first = await h.publish(RefundRequested, ask, orderId);
    const rejected = await h.event(orderId, PaymentRefundRejected);
    expect(rejected.data).toEqual({ refundId: ask.refundId, orderId, paymentId: paymentIdFor(orderId), amount: USD(1000), reason: 'UNKNOWN_PAYMENT' });
    expect(rejected.aggregateId).toBe(paymentIdFor(orderId));
    expect(rejected.causationId).toBe(first.id);
    const again = await h.publish(RefundRequested, ask, orderId);
    await eventually(() => h.processed([first.id, again.id]), 10_000);
    expect(await h.committedEvents(orderId, PaymentRefundRejected)).toHaveLength(1);
    expect(await h.svc.db.collection(PAYMENTS_COLLECTION).countDocuments({ _id: paymentIdFor(orderId) } as never)).toBe(0); // no payment made up

    // the payment arrives late; the same request again is still the one answered
    await requestPayment(h.svc.deps, { orderId, customerId: newCustomerId(), amount: USD(5000), paymentToken: 'tok_visa', idempotencyKey: 'late' }, cause());
    await capturePayment(h.svc.deps, { orderId }, cause());
    expect(await refundPayment(h.svc.deps, ask, cause())).toBe('already-answered');
    expect((await latest(orderId)).refunds).toEqual([]);
    expect(h.log.refundCalls.filter((c) => c.key === ask.refundId)).toHaveLength(0);
  });

  it('rejects a payment not captured (NOT_CAPTURED) and another currency (CURRENCY_MISMATCH), recording them on the payment', async () => {
    const orderId = h.newOrderId();
    await requestPayment(h.svc.deps, { orderId, customerId: newCustomerId(), amount: USD(5000), paymentToken: 'tok_visa', idempotencyKey: 'k' }, cause());
    const early = refundAsk(orderId, 1000);
    expect(await refundPayment(h.svc.deps, early, cause())).toBe('rejected');
    await capturePayment(h.svc.deps, { orderId }, cause());
    const euros = refundAsk(orderId, 1000, 'EUR');
    expect(await refundPayment(h.svc.deps, euros, cause())).toBe('rejected');
    expect(await refundPayment(h.svc.deps, early, cause())).toBe('already-answered'); // still rejected, though it would fit now
    const p = await latest(orderId);
    expect(p.refunds!.map((r) => [r.id, r.status, r.rejectionReason])).toEqual([
      [early.refundId, 'REJECTED', 'NOT_CAPTURED'],
      [euros.refundId, 'REJECTED', 'CURRENCY_MISMATCH'],
    ]);
    expect((await h.committedEvents(orderId, PaymentRefundRejected)).map((e) => e.data.reason)).toEqual(['NOT_CAPTURED', 'CURRENCY_MISMATCH']);
    expect(await h.committedEvents(orderId, PaymentRefunded)).toEqual([]);
  });
});

describe('the test provider', () => {
  it('makes each refund key once and refuses refunds beyond the capture, with concurrent callers', async () => {
    const provider = new TestPaymentProvider(h.svc.db);
    const auth = await provider.authorize({ token: 'tok_visa', amount: USD(10_000), idempotencyKey: newId('key') });
    if (!auth.ok) throw new Error('not authorized');
    await provider.capture(auth.providerRef, USD(10_000));
    const keys = Array.from({ length: 5 }, () => newId('rf'));
    const results = await Promise.allSettled(keys.map((k) => provider.refund(auth.providerRef, USD(3000), k)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(PaymentProviderError);
    const made = keys.filter((_, i) => results[i]!.status === 'fulfilled');
    // a repeated key answers without refunding again; the same key for another amount is refused
    await provider.refund(auth.providerRef, USD(3000), made[0]!);
    await expect(provider.refund(auth.providerRef, USD(1000), made[0]!)).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(provider.refund(auth.providerRef, USD(1000), newId('rf'))).resolves.toBeUndefined(); // the last 10.00 fits
    await expect(provider.refund(auth.providerRef, USD(1), newId('rf'))).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(provider.refund(auth.providerRef, { amount: 1, currencyCode: 'EUR' }, newId('rf'))).rejects.toBeInstanceOf(PaymentProviderError);
    const links = await h.svc.db.collection(TEST_PROVIDER_COLLECTION).find({ providerRef: auth.providerRef, kind: 'refund' }).toArray();
    expect(links.map((l) => l._id).sort()).toEqual([1, 2, 3, 4].map((n) => refundLinkId(auth.providerRef, n)).sort());
    expect(links.map((l) => l.refundedTotal).sort((a, b) => a - b)).toEqual([3000, 6000, 9000, 10_000]);
  });
});

describe('Payment entity', () => {
  it('resolves Payment references with one batch, for the order customer and admins only', async () => {
    const alice = newCustomerId();
    const a = await capturedPayment(10_000, alice);
    const b = await capturedPayment(4000, alice);
    const ask = refundAsk(a.orderId, 2500);
    await refundPayment(h.svc.deps, ask, cause());
    const reps = [a.orderId, b.orderId, h.newOrderId()].map((o) => ({ __typename: 'Payment', id: paymentIdFor(o) }));

    const counter = new CommandCounter(h.svc.conn);
    const own = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps }, asCustomer(alice));
    counter.stop();
    expect(own.errors).toBeUndefined();
    await expectOneBatch(h.svc.db, counter, PAYMENTS_COLLECTION, reps.map((r) => r.id));
    const [pa, pb, unknown] = own.data!._entities;
    expect(pa).toMatchObject({ id: paymentIdFor(a.orderId), status: 'PARTIALLY_REFUNDED', refundedAmount: { amount: '25.00', currencyCode: 'USD' } });
    expect(pa.refunds).toEqual([{ id: ask.refundId, amount: { amount: '25.00' }, status: 'SUCCEEDED', rejectionReason: null, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(pb).toMatchObject({ status: 'CAPTURED', refundedAmount: { amount: '0.00' }, refunds: [] });
    expect(unknown).toBeNull();

    const viaOrder = await callSubgraph(h.svc.url, ORDER_PAYMENT, { reps: [{ __typename: 'Order', id: a.orderId }] }, ADMIN);
    expect(viaOrder.data!._entities[0].payment).toEqual({ id: paymentIdFor(a.orderId), status: 'PARTIALLY_REFUNDED', refundedAmount: { amount: '25.00' }, refunds: [{ id: ask.refundId, status: 'SUCCEEDED' }] });

    const foreign = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps: reps.slice(0, 1) }, asCustomer(newCustomerId()));
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(foreign.data!._entities).toEqual([null]);
    const anonymous = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps: reps.slice(0, 1) }, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const malformed = await callSubgraph(h.svc.url, PAYMENT_REFS, { reps: [{ __typename: 'Payment', id: 'ord_x' }] }, ADMIN);
    expect(malformed.data!._entities).toEqual([null]);

    const sdl = await callSubgraph(h.svc.url, '{ _service { sdl } }');
    expect(sdl.data?._service.sdl).toMatch(/type Payment\s+@key\(fields: "id"\)/);
  });
});
