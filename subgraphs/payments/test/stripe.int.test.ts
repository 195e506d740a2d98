import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { OrderCancelled, OrderConfirmed, PaymentAuthorized, PaymentCaptured, PaymentDeclined, PaymentRefunded, PaymentVoided } from '@commerce/events/contracts';
import { ConfigError } from '@commerce/platform';
import { eventually, serviceEnv } from '@commerce/testing';
import { loadPaymentsConfig } from '../src/config.ts';
import { paymentIdFor, PAYMENTS_COLLECTION, type PaymentRecord } from '../src/domain/payment.ts';
import { PaymentProviderError } from '../src/domain/provider.ts';
import { StripePaymentProvider } from '../src/domain/stripe-provider.ts';
import { STRIPE_EVENTS_COLLECTION, type StripeEventRecord } from '../src/stripe-webhooks.ts';
import { Harness, newCustomerId, USD } from './helpers.ts';
import { StripeStub } from './stripe-stub.ts';

const API_KEY = 'sk_test_stub_0123456789';
const WEBHOOK_SECRET = 'whsec_test_stub_secret';

let stub: StripeStub;
let provider: StripePaymentProvider;
beforeAll(async () => {
  stub = await new StripeStub(API_KEY).start();
  provider = new StripePaymentProvider({ apiKey: API_KEY, apiBase: stub.url });
});
afterAll(async () => {
  await stub?.stop();
});

describe('the Stripe adapter against a local stub of the API', () => {
  it('authorizes with a manual-capture PaymentIntent under an idempotency key; a retry replays the same answer', async () => {
    const key = `ord_${randomUUID()}:k1`;
    const first = await provider.authorize({ token: 'tok_visa', amount: USD(2599), idempotencyKey: key });
    expect(first).toMatchObject({ ok: true, brand: 'visa', last4: '4242' });
    const ref = (first as { providerRef: string }).providerRef;
    expect(ref).toMatch(/^pi_/);
    const calls = stub.requests.filter((r) => r.idempotencyKey === `authorize:${key}`);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/v1/payment_intents', replayed: false });
    expect(calls[0]!.params).toMatchObject({ amount: '2599', currency: 'usd', capture_method: 'manual', confirm: 'true', 'payment_method_data[card][token]': 'tok_visa' });

    const again = await provider.authorize({ token: 'tok_visa', amount: USD(2599), idempotencyKey: key });
    expect(again).toEqual(first);
    expect(stub.requests.filter((r) => r.idempotencyKey === `authorize:${key}`).map((r) => r.replayed)).toEqual([false, true]);
    expect([...stub.intents.values()].filter((i) => i.id === ref)).toHaveLength(1);
  });

  it('maps Stripe card errors to the port decline reasons (a retried decline answers the same)', async () => {
    const cases = [
      { token: 'tok_chargeDeclined', reason: 'CARD_DECLINED' },
      { token: 'tok_insufficientFunds', reason: 'INSUFFICIENT_FUNDS' },
      { token: 'tok_noSuchToken', reason: 'INVALID_TOKEN' },
    ];
    for (const c of cases) {
      const key = `ord_${randomUUID()}:k`;
      expect(await provider.authorize({ token: c.token, amount: USD(1000), idempotencyKey: key })).toEqual({ ok: false, reason: c.reason });
      expect(await provider.authorize({ token: c.token, amount: USD(1000), idempotencyKey: key })).toEqual({ ok: false, reason: c.reason });
      expect(stub.requests.filter((r) => r.idempotencyKey === `authorize:${key}`).map((r) => r.replayed)).toEqual([false, true]);
    }
  });

  it('captures, voids and refunds at the right endpoints, each once per idempotency key', async () => {
    const auth = async () => ((await provider.authorize({ token: 'tok_mastercard', amount: USD(5000), idempotencyKey: `ord_${randomUUID()}:k` })) as { providerRef: string }).providerRef;
    const captured = await auth();
    await provider.capture(captured, USD(5000));
    await provider.capture(captured, USD(5000)); // a retry: replayed, not captured twice
    const captures = stub.to(`/v1/payment_intents/${captured}/capture`);
    expect(captures.map((r) => [r.idempotencyKey, r.replayed])).toEqual([[`capture:${captured}`, false], [`capture:${captured}`, true]]);
    expect(stub.intents.get(captured)).toMatchObject({ status: 'succeeded', amount_received: 5000 });

    const voided = await auth();
    await provider.void(voided);
    await provider.void(voided);
    expect(stub.to(`/v1/payment_intents/${voided}/cancel`).map((r) => [r.idempotencyKey, r.replayed])).toEqual([[`void:${voided}`, false], [`void:${voided}`, true]]);
    expect(stub.intents.get(voided)!.status).toBe('canceled');

    const rf1 = `rf_${randomUUID()}`;
    await provider.refund(captured, USD(1500), rf1);
    await provider.refund(captured, USD(1500), rf1); // the same refund again: replayed
    const refundCalls = stub.to('/v1/refunds').filter((r) => r.params.payment_intent === captured);
    expect(refundCalls.map((r) => [r.idempotencyKey, r.replayed])).toEqual([[`refund:${rf1}`, false], [`refund:${rf1}`, true]]);
    expect(refundCalls[0]!.params).toMatchObject({ amount: '1500', 'metadata[refund_id]': rf1 });
    expect([...stub.refunds.values()].filter((r) => r.payment_intent === captured).map((r) => r.amount)).toEqual([1500]);

    // the same key with another amount, and a refund beyond what is left: refused, nothing refunded
    await expect(provider.refund(captured, USD(1000), rf1)).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(provider.refund(captured, USD(4000), `rf_${randomUUID()}`)).rejects.toBeInstanceOf(PaymentProviderError);
    expect([...stub.refunds.values()].filter((r) => r.payment_intent === captured).map((r) => r.amount)).toEqual([1500]);
  });

  it('a repeated capture or void after Stripe forgot the key is a no-op when the intent is already there', async () => {
    const ref = ((await provider.authorize({ token: 'tok_visa', amount: USD(700), idempotencyKey: `ord_${randomUUID()}:k` })) as { providerRef: string }).providerRef;
    await provider.capture(ref, USD(700));
    // another client (no key shared): Stripe answers payment_intent_unexpected_state, the adapter checks the intent
    const other = new StripePaymentProvider({ apiKey: API_KEY, apiBase: stub.url });
    const stripe = other.stripe;
    await expect(stripe.paymentIntents.capture(ref, {}, { idempotencyKey: `other:${ref}` })).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    (stub as unknown as { idempotency: Map<string, unknown> }).idempotency.delete(`capture:${ref}`); // the key expired at Stripe
    await expect(provider.capture(ref, USD(700))).resolves.toBeUndefined();
    await expect(provider.void(ref)).rejects.toBeInstanceOf(PaymentProviderError); // a captured intent cannot be voided
  });

  it('a provider outage is a PaymentProviderError without the token or the API key in it', async () => {
    stub.failNext = 1;
    const err = await provider.authorize({ token: 'tok_visa', amount: USD(100), idempotencyKey: `ord_${randomUUID()}:k` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentProviderError);
    expect(String((err as Error).message)).not.toMatch(/tok_visa|sk_test/);
    // a wrong API key is not a decline either
    const wrong = new StripePaymentProvider({ apiKey: 'sk_test_wrong', apiBase: stub.url });
    await expect(wrong.authorize({ token: 'tok_visa', amount: USD(100), idempotencyKey: `ord_${randomUUID()}:k` })).rejects.toBeInstanceOf(PaymentProviderError);
  });
});

describe('configuration', () => {
  const env = (extra: Record<string, string>) => ({ ...serviceEnv('payments'), ...extra });
  it('refuses the stripe provider without an API key and a webhook secret (production or not)', () => {
    for (const nodeEnv of ['production', 'development']) {
      expect(() => loadPaymentsConfig(env({ NODE_ENV: nodeEnv, PAYMENTS_PROVIDER: 'stripe' }))).toThrow(ConfigError);
      expect(() => loadPaymentsConfig(env({ NODE_ENV: nodeEnv, PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: API_KEY }))).toThrow(/STRIPE_WEBHOOK_SECRET/);
      expect(() => loadPaymentsConfig(env({ NODE_ENV: nodeEnv, PAYMENTS_PROVIDER: 'stripe', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }))).toThrow(/STRIPE_API_KEY/);
      // placeholders are refused, not run with
      expect(() => loadPaymentsConfig(env({ NODE_ENV: nodeEnv, PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: 'REPLACE_ME', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }))).toThrow(/STRIPE_API_KEY/);
      expect(() => loadPaymentsConfig(env({ NODE_ENV: nodeEnv, PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: 'REPLACE_ME' }))).toThrow(/STRIPE_WEBHOOK_SECRET/);
    }
    expect(() => loadPaymentsConfig(env({ NODE_ENV: 'production', PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: 'http://127.0.0.1:1' }))).toThrow(/https/);
    const ok = loadPaymentsConfig(env({ NODE_ENV: 'production', PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }));
    expect(ok).toMatchObject({ provider: 'stripe', stripe: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, apiBase: undefined } });
  });
});

describe('payments with PAYMENTS_PROVIDER=stripe (checkout events → the stub; signed webhooks)', () => {
  let h: Harness;
  let webhookUrl: string;
  const signer = new Stripe('sk_test_signer_only');
  beforeAll(async () => {
    h = await new Harness({ PAYMENTS_PROVIDER: 'stripe', STRIPE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stub.url }).start();
    webhookUrl = h.svc.url.replace(/\/graphql$/, '/webhooks/stripe');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const deliver = (payload: string, signature: string | null) =>
    fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature !== null ? { 'stripe-signature': signature } : {}) }, body: payload });
  const signed = (payload: string, secret = WEBHOOK_SECRET) => signer.webhooks.generateTestHeaderString({ payload, secret });
  const eventOf = (type: string, object: unknown) => JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, '')}`, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, api_version: Stripe.API_VERSION, data: { object } });
  const recorded = (id: string) => h.svc.db.collection<StripeEventRecord>(STRIPE_EVENTS_COLLECTION).find({ _id: id }).toArray();

  let orderId: string;
  let intentId: string;

  it('authorizes a checkout at the stub and captures it when the order is confirmed', async () => {
    orderId = h.newOrderId();
    const customerId = newCustomerId();
    await h.requestPayment({ orderId, customerId, amount: USD(4200), paymentToken: 'tok_visa', idempotencyKey: 'checkout-1' });
    const authorized = await h.event(orderId, PaymentAuthorized);
    expect(authorized.data).toMatchObject({ orderId, brand: 'visa', last4: '4242', amount: USD(4200) });
    const payment = await h.svc.db.collection<PaymentRecord>(PAYMENTS_COLLECTION).findOne({ _id: paymentIdFor(orderId) });
    intentId = payment!.providerRef!;
    expect(intentId).toMatch(/^pi_/);
    expect(stub.requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `authorize:${orderId}:checkout-1`)).toHaveLength(1);

    await h.publish(OrderConfirmed, { orderId, customerId, lines: [], total: USD(4200), confirmedAt: new Date().toISOString() }, orderId);
    await h.event(orderId, PaymentCaptured);
    expect(stub.to(`/v1/payment_intents/${intentId}/capture`).map((r) => r.idempotencyKey)).toEqual([`capture:${intentId}`]);
    expect(stub.intents.get(intentId)!.status).toBe('succeeded');
    // the token reached the stub only: not in any payments collection
    for (const name of (await h.svc.db.listCollections().toArray()).map((c) => c.name)) {
      const docs = await h.svc.db.collection(name).find({}).toArray();
      expect(JSON.stringify(docs)).not.toContain('tok_visa');
    }
  });

  it('declines a checkout the stub refuses with the mapped reason', async () => {
    const declinedOrder = h.newOrderId();
    await h.requestPayment({ orderId: declinedOrder, customerId: newCustomerId(), amount: USD(999), paymentToken: 'tok_insufficientFunds', idempotencyKey: 'checkout-2' });
    expect((await h.event(declinedOrder, PaymentDeclined)).data).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
  });

  it('records a signed webhook once, however often it is delivered', async () => {
    const payload = eventOf('payment_intent.succeeded', stub.intents.get(intentId));
    const id = JSON.parse(payload).id as string;
    const first = await deliver(payload, signed(payload));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: 'recorded' });
    const second = await deliver(payload, signed(payload));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ received: true, outcome: 'duplicate' });
    const docs = await recorded(id);
    expect(docs).toHaveLength(1);
    // captured here too: the provider agrees with the aggregate
    expect(docs[0]).toMatchObject({ type: 'payment_intent.succeeded', intentId, paymentId: paymentIdFor(orderId), providerStatus: 'succeeded', discrepancy: null });
  });

  const paymentOf = async (id: string) => (await h.svc.db.collection<PaymentRecord>(PAYMENTS_COLLECTION).findOne({ _id: paymentIdFor(id) }))!;
  const post = async (payload: string) => {
    const res = await deliver(payload, signed(payload));
    expect(res.status).toBe(200);
    return ((await res.json()) as { outcome: string }).outcome;
  };

  it('applies a refund made in the dashboard once: a refund entry and one PaymentRefunded, however often it is delivered', async () => {
    const refundsAtStub = stub.to('/v1/refunds').length;
    const charge = {
      id: 'ch_x', object: 'charge', payment_intent: intentId, amount: 4200, amount_refunded: 1000, currency: 'usd', refunded: false,
      refunds: { object: 'list', data: [{ id: 're_dashboard_1', object: 'refund', amount: 1000, currency: 'usd', status: 'succeeded', metadata: {} }] },
    };
    const payload = eventOf('charge.refunded', charge);
    const eventId = JSON.parse(payload).id as string;
    const refundId = `rf_provider_${eventId}`;
    expect(await post(payload)).toBe('applied');
    expect(await post(payload)).toBe('duplicate'); // Stripe's redelivery
    // another event with the same cumulative amount (e.g. charge.refund.updated's sibling): nothing more
    expect(await post(eventOf('charge.refunded', charge))).toBe('recorded');
    await h.quiet();

    const [doc] = await recorded(eventId);
    expect(doc).toMatchObject({ type: 'charge.refunded', paymentId: paymentIdFor(orderId), amountRefunded: 1000, discrepancy: 'refunded 1000 at the provider, 0 here', applied: `refund ${refundId} of 1000 recorded`, notApplied: null });
    const payment = await paymentOf(orderId);
    expect(payment).toMatchObject({ status: 'CAPTURED', operation: null });
    expect(payment.refunds).toEqual([expect.objectContaining({ id: refundId, amount: USD(1000), status: 'SUCCEEDED', ticketId: null, source: 'provider', providerRefundId: 're_dashboard_1' })]);
    // published exactly once (counted once quiet), as a refund we make is
    const refunded = await h.events(orderId, PaymentRefunded);
    expect(refunded.map((e) => e.data)).toEqual([{ orderId, paymentId: paymentIdFor(orderId), amount: USD(1000), refundId, refundedTotal: USD(1000), fullyRefunded: false }]);
    expect(refunded[0]!.causationId).toBe(eventId);
    // the money moved at Stripe already: payments did not ask for a refund
    expect(stub.to('/v1/refunds')).toHaveLength(refundsAtStub);

    // a second dashboard refund (cumulative 2500), its event delivered 3 times at once and a
    // sibling event with the same cumulative amount alongside: applied once (the version race decides)
    const more = { ...charge, amount_refunded: 2500, refunds: { object: 'list', data: [{ ...charge.refunds.data[0]!, id: 're_dashboard_2', amount: 1500 }, charge.refunds.data[0]!] } };
    const second = eventOf('charge.refunded', more);
    const sibling = eventOf('charge.refunded', more);
    const outcomes = await Promise.all([post(second), post(second), post(second), post(sibling)]);
    expect(outcomes.filter((o) => o === 'applied').length).toBeGreaterThanOrEqual(1);
    await h.quiet();
    // whichever of the two events committed first carries the entry; the other's record says why it changed nothing
    const records = [...(await recorded(JSON.parse(second).id)), ...(await recorded(JSON.parse(sibling).id))];
    expect(records).toHaveLength(2);
    const winner = records.filter((r) => r.applied);
    expect(winner).toHaveLength(1);
    const secondId = `rf_provider_${winner[0]!._id}`;
    expect(winner[0]!.applied).toBe(`refund ${secondId} of 1500 recorded`);
    expect((await paymentOf(orderId)).refunds!.map((r) => [r.id, r.amount.amount, r.providerRefundId])).toEqual([[refundId, 1000, 're_dashboard_1'], [secondId, 1500, 're_dashboard_2']]);
    expect((await h.events(orderId, PaymentRefunded)).map((e) => [e.data.refundId, e.data.amount.amount, e.data.refundedTotal.amount])).toEqual([[refundId, 1000, 1000], [secondId, 1500, 2500]]);
  });

  it('only records a cancelled intent for a CAPTURED payment', async () => {
    const payload = eventOf('payment_intent.canceled', { ...stub.intents.get(intentId), status: 'canceled' });
    expect(await post(payload)).toBe('recorded');
    await h.quiet();
    const [doc] = await recorded(JSON.parse(payload).id);
    expect(doc).toMatchObject({ discrepancy: 'cancelled at the provider, CAPTURED here', applied: null, notApplied: expect.stringContaining('CAPTURED') });
    expect(await paymentOf(orderId)).toMatchObject({ status: 'CAPTURED' });
    expect(await h.events(orderId, PaymentVoided)).toHaveLength(0);
  });

  it('voids an authorization that expired at Stripe while its cancelled order waits for the void (PaymentVoided once)', async () => {
    const order = h.newOrderId();
    const customerId = newCustomerId();
    await h.requestPayment({ orderId: order, customerId, amount: USD(1500), paymentToken: 'tok_visa', idempotencyKey: 'checkout-expire' });
    await h.event(order, PaymentAuthorized);
    const pi = (await paymentOf(order)).providerRef!;
    // the order is cancelled while Stripe is down: the void fails and is retried with backoff
    stub.failNext = 1_000;
    await h.publish(OrderCancelled, { orderId: order, customerId, reason: 'TIMEOUT', lines: [], wasConfirmed: false, cancelledAt: new Date().toISOString() }, order);
    await eventually(async () => (await paymentOf(order)).orderCancelled && stub.to(`/v1/payment_intents/${pi}/cancel`).length > 0);
    expect(await paymentOf(order)).toMatchObject({ status: 'AUTHORIZED' });

    // the authorization expires at Stripe (7 days): payment_intent.canceled, delivered twice
    Object.assign(stub.intents.get(pi)!, { status: 'canceled', amount_capturable: 0, cancellation_reason: 'automatic' });
    const payload = eventOf('payment_intent.canceled', stub.intents.get(pi));
    expect(await post(payload)).toBe('applied');
    expect(await post(payload)).toBe('duplicate');
    stub.failNext = 0;
    const cancelCalls = stub.to(`/v1/payment_intents/${pi}/cancel`).length;
    await h.quiet(); // the cancellation's redelivery finds nothing left to do

    expect(await paymentOf(order)).toMatchObject({ status: 'VOIDED', operation: null, orderCancelled: true });
    expect((await recorded(JSON.parse(payload).id))[0]).toMatchObject({ paymentId: paymentIdFor(order), discrepancy: 'cancelled at the provider, AUTHORIZED here', applied: 'voided' });
    expect((await h.events(order, PaymentVoided)).map((e) => e.data)).toEqual([{ orderId: order, paymentId: paymentIdFor(order) }]);
    expect(stub.to(`/v1/payment_intents/${pi}/cancel`)).toHaveLength(cancelCalls);
  });

  it('only records a cancelled intent for an authorization whose order is not cancelled (it is, or will be, confirmed)', async () => {
    const order = h.newOrderId();
    await h.requestPayment({ orderId: order, customerId: newCustomerId(), amount: USD(800), paymentToken: 'tok_visa', idempotencyKey: 'checkout-live' });
    await h.event(order, PaymentAuthorized);
    const pi = (await paymentOf(order)).providerRef!;
    const payload = eventOf('payment_intent.canceled', { ...stub.intents.get(pi), status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(await post(payload)).toBe('recorded');
    await h.quiet();
    expect((await recorded(JSON.parse(payload).id))[0]).toMatchObject({ discrepancy: 'cancelled at the provider, AUTHORIZED here', applied: null, notApplied: expect.stringContaining('not cancelled') });
    expect(await paymentOf(order)).toMatchObject({ status: 'AUTHORIZED' });
    expect(await h.events(order, PaymentVoided)).toHaveLength(0);
  });

  it('refuses an unsigned, badly signed or tampered webhook with 400 and records nothing', async () => {
    const payload = eventOf('payment_intent.canceled', { ...stub.intents.get(intentId), status: 'canceled' });
    const id = JSON.parse(payload).id as string;
    expect((await deliver(payload, null)).status).toBe(400);
    expect((await deliver(payload, signed(payload, 'whsec_someone_else'))).status).toBe(400);
    expect((await deliver(payload.replace('canceled', 'succeeded'), signed(payload))).status).toBe(400);
    expect((await deliver(payload, 't=1,v1=deadbeef')).status).toBe(400);
    expect(await recorded(id)).toHaveLength(0);
    // and a GET of the webhook path is not a route
    expect((await fetch(webhookUrl)).status).toBe(404);
  });
});
