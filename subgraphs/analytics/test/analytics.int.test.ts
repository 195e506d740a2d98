import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@commerce/events';
import { ActivityForgotten, CartLineAdded, InteractionsRecorded, OrderCancelled, OrderConfirmed, ReviewAdded } from '@commerce/events/contracts';
import type { Identity } from '@commerce/platform';
import { ADMIN, callSubgraph, observeEvents, uniqueSuffix, waitQuiet } from '@commerce/testing';
import { epochHour, HOUR_MS, MINUTE_MS } from '../src/domain/buckets.ts';
import { orderConfirmedFacts } from '../src/domain/facts.ts';
import { startAnalytics, type AnalyticsService } from '../src/index.ts';
import { analyticsEnv, cleanUp, deleteRedisKeys, FORGET, FUNNEL, metric, quiet, SERIES, sum, TOP, TRACK, TRENDING } from './helpers.ts';

/**
 * Analytics against real servers: FerretDB (or MongoDB), NATS JetStream, Redis. Each test counts
 * in its own past hour (facts are bucketed by when they happened), so no test sees another's
 * counts; trending, which looks at the current hour, uses products of its own.
 */
const env = analyticsEnv();
let svc: AnalyticsService;
const HOUR0 = epochHour(Date.now());
/** ten minutes into the hour `hoursAgo` hours before the current one */
const base = (hoursAgo: number) => (HOUR0 - hoursAgo) * HOUR_MS + 10 * MINUTE_MS;
const iso = (ms: number) => new Date(ms).toISOString();
const customer = (): Identity => ({ id: `cust_${uniqueSuffix()}`, roles: ['CUSTOMER'] });

beforeAll(async () => {
  svc = await startAnalytics(env);
});
afterAll(async () => {
  await svc?.stop();
  await cleanUp(env);
});

async function track(events: Array<Record<string, unknown>>, user: Identity | null = null) {
  const r = await callSubgraph<any>(svc.url, TRACK, { events }, user);
  expect(r.errors).toBeUndefined();
  return r.data.trackEvents as { accepted: number; userErrors: Array<{ field: string[]; code: string }> };
}

async function series(metricName: string, from: number, to: number, extra: Record<string, unknown> = {}, on = svc) {
  const r = await callSubgraph<any>(on.url, SERIES, { metric: metricName, granularity: 'MINUTE', from: iso(from), to: iso(to), ...extra }, ADMIN);
  expect(r.errors).toBeUndefined();
  return r.data.analyticsSeries as Array<{ at: string; value: number }>;
}

describe('trackEvents', () => {
  it('records valid events, answers invalid ones with userErrors on their paths, and emits one message per session', async () => {
    const s1 = `s-${uniqueSuffix()}`;
    const s2 = `s-${uniqueSuffix()}`;
    const observer = await observeEvents({ bus: svc.bus, subject: InteractionsRecorded.type });
    const r = await track([
      { eventId: 'v1', sessionId: s1, type: 'PRODUCT_VIEWED', productId: 'prod_valid' },
      { eventId: 'v2', sessionId: s1, type: 'PRODUCT_VIEWED' },
      { eventId: 'v3', sessionId: s2, type: 'SEARCH_PERFORMED', query: 'q'.repeat(300) },
      { eventId: 'v4', sessionId: s2, type: 'RECOMMENDATION_SHOWN', productIds: ['prod_valid'], slot: 'home page' },
      { eventId: 'v5', sessionId: s2, type: 'PRODUCT_VIEWED', productId: 'prod_valid', occurredAt: iso(Date.now() - 25 * HOUR_MS) },
      { eventId: 'v6', sessionId: s2, type: 'PRODUCT_VIEWED', productId: 'prod_valid', occurredAt: iso(Date.now() + 10 * MINUTE_MS) },
      { eventId: 'v7', sessionId: s2, type: 'SEARCH_PERFORMED', query: 'shoes' },
      { eventId: 'v8', sessionId: s2, type: 'RECOMMENDATION_CLICKED', productId: 'prod_valid', slot: 'home', strategy: 'co-occurrence' },
    ]);
    expect(r.accepted).toBe(3);
    expect(r.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['events', '1', 'productId'], 'PRODUCT_REQUIRED'],
      [['events', '2', 'query'], 'QUERY_TOO_LONG'],
      [['events', '3', 'slot'], 'INVALID_SLOT'],
      [['events', '4', 'occurredAt'], 'OCCURRED_AT_TOO_OLD'],
      [['events', '5', 'occurredAt'], 'OCCURRED_AT_IN_FUTURE'],
    ]);
    // one interactions-recorded per session of the call, in the stream before the call answered,
    // and nothing written to the database on the way (JetStream's ack is the commit)
    await waitQuiet({ bus: svc.bus, durables: [...svc.consumers, observer], dbs: [svc.db] });
    const mine = observer.seen.map((e) => InteractionsRecorded.parse(e)).filter((e) => e.data.sessionId === s1 || e.data.sessionId === s2);
    expect(mine).toHaveLength(2);
    expect(Object.fromEntries(mine.map((e) => [e.aggregateId, e.data.interactions.length]))).toEqual({ [s1]: 1, [s2]: 2 });
    expect(mine.every((e) => e.data.customerId === null)).toBe(true);
    expect(await svc.db.collection('outbox').countDocuments({ aggregateId: s1 })).toBe(0);
    expect(await svc.db.collection('outbox').countDocuments({ aggregateId: s2 })).toBe(0);
    await observer.stop();
  });

  it('records nothing from a call of more than 100 events', async () => {
    const sessionId = `s-${uniqueSuffix()}`;
    const r = await track(Array.from({ length: 101 }, (_, i) => ({ eventId: `e${i}`, sessionId, type: 'PRODUCT_VIEWED', productId: 'prod_x' })));
    expect(r).toEqual({ accepted: 0, userErrors: [{ field: ['events'], message: expect.any(String), code: 'TOO_MANY_EVENTS' }] });
    expect(await svc.db.collection('outbox').countDocuments({ aggregateId: sessionId })).toBe(0);
  });
});

describe('counting exactly once', () => {
  it('counts a batch sent twice, and its event replayed under a new envelope id, once', async () => {
    const T = base(3);
    const sessionId = `s-${uniqueSuffix()}`;
    const [a, b] = [`prod_a${uniqueSuffix()}`, `prod_b${uniqueSuffix()}`];
    const events = [
      ...[a, a, a, b, b].map((productId, i) => ({ eventId: `view-${i}`, sessionId, type: 'PRODUCT_VIEWED', productId, occurredAt: iso(T + i * 1000) })),
      { eventId: 'search-1', sessionId, type: 'SEARCH_PERFORMED', query: 'red shoes', occurredAt: iso(T) },
      { eventId: 'shown-1', sessionId, type: 'RECOMMENDATION_SHOWN', productIds: [a, b], slot: 'product-page', strategy: 'co-occurrence', occurredAt: iso(T + MINUTE_MS) },
      { eventId: 'shown-2', sessionId, type: 'RECOMMENDATION_SHOWN', productIds: [b], slot: 'product-page', strategy: 'co-occurrence', occurredAt: iso(T + MINUTE_MS) },
      { eventId: 'click-1', sessionId, type: 'RECOMMENDATION_CLICKED', productId: b, slot: 'product-page', strategy: 'co-occurrence', occurredAt: iso(T + MINUTE_MS) },
    ];
    const viewsBefore = await metric(svc, 'analytics_interactions_total', { type: 'PRODUCT_VIEWED' });
    const observer = await observeEvents({ bus: svc.bus, subject: InteractionsRecorded.type });
    expect((await track(events)).accepted).toBe(9);
    expect((await track(events)).accepted).toBe(9);
    await waitQuiet({ bus: svc.bus, durables: [...svc.consumers, observer], dbs: [svc.db] });
    await observer.stop();
    // the same event again, as a replay under a new envelope id, and as a redelivery of the same envelope
    const sent = observer.seen.find((e) => (e.data as { sessionId?: string }).sessionId === sessionId)!;
    await svc.bus.publish({ ...(sent as EventEnvelope), id: randomUUID() });
    await svc.bus.publish(sent as EventEnvelope, { msgId: randomUUID() });
    await quiet(svc);

    const from = T - MINUTE_MS;
    const to = T + 5 * MINUTE_MS;
    expect(sum(await series('VIEWS', from, to))).toBe(5);
    expect(sum(await series('SEARCHES', from, to))).toBe(1);
    const ctr = (await series('RECOMMENDATION_CTR', from, to)).filter((p) => p.value > 0);
    expect(ctr).toEqual([{ at: iso(Math.floor((T + MINUTE_MS) / MINUTE_MS) * MINUTE_MS), value: 0.5 }]);
    expect(await metric(svc, 'analytics_interactions_total', { type: 'PRODUCT_VIEWED' })).toBe(viewsBefore + 5);
    const top = await callSubgraph<any>(svc.url, TOP, { by: 'VIEWS', from: iso(T - MINUTE_MS), to: iso(T + MINUTE_MS), first: 10 }, ADMIN);
    expect(top.data.topProducts).toEqual([
      { productId: a, count: 3, product: { id: a } },
      { productId: b, count: 2, product: { id: b } },
    ]);
  });

  it('counts orders, revenue per currency, units, cancellations, add-to-carts and reviews from the other services’ events, each once', async () => {
    const T = base(4);
    const [p1, p2] = [`prod_o${uniqueSuffix()}`, `prod_o${uniqueSuffix()}`];
    const line = (productId: string, quantity: number) => ({ productId, variantId: `var_${productId}`, sku: 'SKU', title: 'T', quantity, unitPrice: { amount: 1000, currencyCode: 'USD' } });
    const [c1, c2] = [`cust_${uniqueSuffix()}`, `cust_${uniqueSuffix()}`];
    const o1 = OrderConfirmed.create({ orderId: 'ord_1', customerId: c1, lines: [line(p1, 2), line(p2, 1)], total: { amount: 2599, currencyCode: 'USD' }, confirmedAt: iso(T) }, { aggregateId: 'ord_1' });
    const o2 = OrderConfirmed.create({ orderId: 'ord_2', customerId: c2, lines: [line(p1, 1)], total: { amount: 1000, currencyCode: 'EUR' }, confirmedAt: iso(T + MINUTE_MS) }, { aggregateId: 'ord_2' });
    const cancelled = OrderCancelled.create({ orderId: 'ord_1', customerId: c1, reason: 'CUSTOMER_REQUEST', lines: [], wasConfirmed: true, cancelledAt: iso(T + 2 * MINUTE_MS) }, { aggregateId: 'ord_1' });
    const added = (productId: string, customerId: string | null) =>
      CartLineAdded.create({ cartId: `cart_${uniqueSuffix()}`, customerId, productId, variantId: `var_${productId}`, quantity: 3, unitPrice: { amount: 1000, currencyCode: 'USD' }, addedAt: iso(T) }, { aggregateId: 'cart' });
    const ordersBefore = await metric(svc, 'analytics_orders_total');
    const usdBefore = await metric(svc, 'analytics_revenue_minor_total', { currency: 'USD' });
    const review = ReviewAdded.create({ reviewId: `rev_${uniqueSuffix()}`, productId: p1, customerId: c1, rating: 5, createdAt: iso(T + MINUTE_MS) }, { aggregateId: p1 });
    const reviewsBefore = await metric(svc, 'analytics_reviews_total', { rating: '5' });
    for (const e of [o1, o2, cancelled, added(p1, c1), added(p2, null), review]) await svc.bus.publish(e);
    await svc.bus.publish(o1, { msgId: `again-${o1.id}` }); // the same envelope delivered again
    await svc.bus.publish(review, { msgId: `again-${review.id}` });
    await quiet(svc);
    // and the handler run again on it (a crash before the ack): the script finds every fact counted
    expect(await svc.deps.buckets.count(orderConfirmedFacts(o1.id, o1.data))).toEqual([false, false, false]);

    const from = T - MINUTE_MS;
    const to = T + 5 * MINUTE_MS;
    expect(sum(await series('REVENUE', from, to, { currencyCode: 'USD' }))).toBeCloseTo(25.99);
    expect(sum(await series('REVENUE', from, to, { currencyCode: 'EUR' }))).toBeCloseTo(10);
    expect(sum(await series('ORDERS', from, to))).toBe(2);
    expect(sum(await series('CANCELLATIONS', from, to))).toBe(1);
    expect(sum(await series('ADD_TO_CARTS', from, to))).toBe(2);
    expect(sum(await series('REVIEWS', from, to))).toBe(1);
    expect(await metric(svc, 'analytics_reviews_total', { rating: '5' })).toBe(reviewsBefore + 1);
    expect(await metric(svc, 'analytics_orders_total')).toBe(ordersBefore + 2);
    expect(await metric(svc, 'analytics_revenue_minor_total', { currency: 'USD' })).toBe(usdBefore + 2599);
    const top = await callSubgraph<any>(svc.url, TOP, { by: 'PURCHASES', from: iso(from), to: iso(to) }, ADMIN);
    expect(top.data.topProducts.map((p: any) => [p.productId, p.count])).toEqual([
      [p1, 3],
      [p2, 1],
    ]);
    const carts = await callSubgraph<any>(svc.url, TOP, { by: 'ADD_TO_CARTS', from: iso(from), to: iso(to) }, ADMIN);
    expect(carts.data.topProducts.map((p: any) => [p.productId, p.count]).sort()).toEqual([
      [p1, 1],
      [p2, 1],
    ].sort());
    const hour = (HOUR0 - 4) * HOUR_MS;
    const hourly = await callSubgraph<any>(svc.url, SERIES, { metric: 'ORDERS', granularity: 'HOUR', from: iso(hour - HOUR_MS), to: iso(hour + HOUR_MS) }, ADMIN);
    expect(hourly.data.analyticsSeries.map((p: any) => p.value)).toEqual([0, 2]);
  });
});

describe('queries', () => {
  it('answers the funnel over whole hours and over minutes', async () => {
    const T = base(5);
    const [viewer, buyer] = [customer(), customer()];
    const product = `prod_f${uniqueSuffix()}`;
    const view = (sessionId: string, i: number) => ({ eventId: `f${i}`, sessionId, type: 'PRODUCT_VIEWED', productId: product, occurredAt: iso(T + i * 1000) });
    await track([view('fs-1', 1), view('fs-1', 2)], viewer);
    await track([view('fs-2', 3)], buyer);
    await track([view(`anon-${uniqueSuffix()}`, 4)]);
    await svc.bus.publish(CartLineAdded.create({ cartId: 'cart_f', customerId: buyer.id, productId: product, variantId: 'var_f', quantity: 1, unitPrice: { amount: 100, currencyCode: 'USD' }, addedAt: iso(T + 10_000) }, { aggregateId: 'cart_f' }));
    await svc.bus.publish(OrderConfirmed.create({ orderId: 'ord_f', customerId: buyer.id, lines: [], total: { amount: 100, currencyCode: 'USD' }, confirmedAt: iso(T + 20_000) }, { aggregateId: 'ord_f' }));
    await quiet(svc);
    const expected = { viewed: 3, addedToCart: 1, ordered: 1, viewToCart: 1 / 3, cartToOrder: 1, viewToOrder: 1 / 3 };
    const hour = (HOUR0 - 5) * HOUR_MS;
    const whole = await callSubgraph<any>(svc.url, FUNNEL, { from: iso(hour), to: iso(hour + HOUR_MS) }, ADMIN);
    expect(whole.data.analyticsFunnel).toEqual(expected);
    const minutes = await callSubgraph<any>(svc.url, FUNNEL, { from: iso(T), to: iso(T + 2 * MINUTE_MS) }, ADMIN);
    expect(minutes.data.analyticsFunnel).toEqual(expected);
    const conversion = (await series('CONVERSION', T, T + MINUTE_MS))[0]!;
    expect(conversion.value).toBeCloseTo(1 / 3);
    const empty = await callSubgraph<any>(svc.url, FUNNEL, { from: iso(hour - HOUR_MS), to: iso(hour) }, ADMIN);
    expect(empty.data.analyticsFunnel).toEqual({ viewed: 0, addedToCart: 0, ordered: 0, viewToCart: null, cartToOrder: null, viewToOrder: null });
  });

  it('ranks trending products by their last hour against their own baseline', async () => {
    const [x, y] = [`prod_tx${uniqueSuffix()}`, `prod_ty${uniqueSuffix()}`];
    const sessionId = `s-${uniqueSuffix()}`;
    const views = (productId: string, n: number, prefix: string, at?: number) =>
      Array.from({ length: n }, (_, i) => ({ eventId: `${prefix}${i}`, sessionId, type: 'PRODUCT_VIEWED', productId, ...(at ? { occurredAt: iso(at) } : {}) }));
    await track([...views(x, 2, 'bx', base(7) + 30 * MINUTE_MS), ...views(x, 6, 'nx'), ...views(y, 3, 'ny')]);
    await quiet(svc);
    const r = await callSubgraph<any>(svc.url, TRENDING, { first: 100 }, ADMIN);
    const rows = r.data.trendingProducts as Array<{ productId: string; lastHour: number; baselinePerHour: number; score: number }>;
    const rx = rows.find((p) => p.productId === x)!;
    const ry = rows.find((p) => p.productId === y)!;
    // (an hour turning over meanwhile leaves the previous hour weighted just under 1)
    expect(rx.lastHour).toBeGreaterThan(5.9);
    expect(rx.baselinePerHour).toBeCloseTo(2 / 24);
    expect(rx.score).toBeCloseTo((rx.lastHour + 1) / (2 / 24 + 1));
    expect(ry).toMatchObject({ baselinePerHour: 0 });
    expect(ry.score).toBeCloseTo(ry.lastHour + 1);
    expect(rows.indexOf(rx)).toBeLessThan(rows.indexOf(ry));
  });

  it('is for admins only, and refuses windows too large or backwards', async () => {
    const now = Date.now();
    const args = { metric: 'VIEWS', granularity: 'MINUTE', from: iso(now - HOUR_MS), to: iso(now) };
    expect((await callSubgraph<any>(svc.url, SERIES, args, customer())).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await callSubgraph<any>(svc.url, SERIES, args, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await callSubgraph<any>(svc.url, TRENDING, {}, customer())).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMany = await callSubgraph<any>(svc.url, SERIES, { ...args, from: iso(now - 1441 * MINUTE_MS) }, ADMIN);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const backwards = await callSubgraph<any>(svc.url, FUNNEL, { from: iso(now), to: iso(now - HOUR_MS) }, ADMIN);
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const noCurrency = await callSubgraph<any>(svc.url, SERIES, { ...args, metric: 'REVENUE' }, ADMIN);
    expect(noCurrency.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // [from, to) covers every bucket it overlaps
    const hours = await callSubgraph<any>(svc.url, SERIES, { ...args, granularity: 'HOUR', from: iso(HOUR0 * HOUR_MS - 3 * HOUR_MS), to: iso(HOUR0 * HOUR_MS) }, ADMIN);
    expect(hours.data.analyticsSeries.map((p: any) => p.at)).toEqual([3, 2, 1].map((n) => iso((HOUR0 - n) * HOUR_MS)));
    const unaligned = await callSubgraph<any>(svc.url, SERIES, { ...args, granularity: 'HOUR', from: iso(HOUR0 * HOUR_MS - 3 * HOUR_MS + 1), to: iso(HOUR0 * HOUR_MS + 1) }, ADMIN);
    expect(unaligned.data.analyticsSeries).toHaveLength(4);
  });
});

describe('forgetMyActivity', () => {
  it('erases their sessions’ messages from the stream, deletes their links and outbox entries, publishes activity-forgotten once, and keeps the counts', async () => {
    const T = base(6);
    const [me, other] = [customer(), customer()];
    const [s1, s2, s3] = [`s-${uniqueSuffix()}`, `s-${uniqueSuffix()}`, `s-${uniqueSuffix()}`];
    const view = (sessionId: string, eventId: string) => ({ eventId, sessionId, type: 'PRODUCT_VIEWED', productId: 'prod_forget', occurredAt: iso(T) });
    await track([view(s1, 'a1')]); // anonymous, before signing in
    await track([view(s1, 'a2'), view(s2, 'a3')], me);
    await track([view(s3, 'a4')], other);
    const links = svc.db.collection('session_links');
    expect((await links.find({ customerId: me.id }).toArray()).map((l) => l._id).sort()).toEqual([s1, s2].sort());
    // interactions that waited in the outbox for the broker (emitEvents' fallback), one of them anonymous
    const queued = (sessionId: string, customerId: string | null) =>
      InteractionsRecorded.create({ batchId: `ibat_${uniqueSuffix()}`, sessionId, customerId, interactions: [{ eventId: `q-${uniqueSuffix()}`, type: 'PRODUCT_VIEWED', productId: 'prod_forget', productIds: [], query: null, slot: null, strategy: null, occurredAt: iso(T) }] }, { aggregateId: sessionId });
    for (const [sessionId, who] of [[s1, null], [s2, me.id], [s3, other.id]] as const) await svc.deps.committer.commitEvents([queued(sessionId, who)]);
    await quiet(svc);
    const entries = svc.db.collection('outbox');
    expect(await entries.countDocuments({ aggregateId: s1 })).toBe(1);
    // the stream messages of their sessions, as the consumer remembered them: 3 of s1 (one anonymous, one
    // signed in, one from the outbox), 2 of s2; and s3's 2, which are not theirs
    const stream = svc.bus.jsm.streams;
    const theirs = await svc.deps.buckets.messagesOf([s1, s2]);
    const others = await svc.deps.buckets.messagesOf([s3]);
    expect([theirs.length, others.length]).toEqual([5, 2]);
    const held = async (seq: number) => (await stream.getMessage(svc.bus.stream, { seq }).then((m) => !!m, () => false));
    expect((await Promise.all(theirs.map(held))).every(Boolean)).toBe(true);

    const r = await callSubgraph<any>(svc.url, FORGET, {}, me);
    expect(r.data.forgetMyActivity).toEqual({ forgotten: true, userErrors: [] });
    expect(await links.countDocuments({ customerId: me.id })).toBe(0);
    expect(await entries.countDocuments({ aggregateId: s2 })).toBe(0);
    expect(await entries.countDocuments({ aggregateId: s1 })).toBe(0); // the anonymous one too
    expect(await links.countDocuments({ customerId: other.id })).toBe(1);
    expect(await entries.countDocuments({ aggregateId: s3 })).toBe(1);
    // erased from the stream (not left to age out); nobody else's
    expect(await Promise.all(theirs.map(held))).toEqual(theirs.map(() => false));
    expect(await Promise.all(others.map(held))).toEqual(others.map(() => true));
    expect(await svc.deps.buckets.messagesOf([s1, s2])).toEqual([]);

    // a retry: nothing left, nothing published again
    expect((await callSubgraph<any>(svc.url, FORGET, {}, me)).data.forgetMyActivity.forgotten).toBe(true);
    await quiet(svc);
    const subject = svc.bus.subject(ActivityForgotten.type);
    const info = await svc.bus.jsm.streams.info(svc.bus.stream, { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(1);
    const msg = await svc.bus.jsm.streams.getMessage(svc.bus.stream, { last_by_subj: subject });
    const event = ActivityForgotten.parse(msg!.json());
    expect(event.data.customerId).toBe(me.id);
    expect([...event.data.sessionIds].sort()).toEqual([s1, s2].sort());
    expect(await svc.db.collection('forget_requests').findOne({ _id: me.id } as never)).toMatchObject({ version: 1, sessions: 2 });

    // the aggregate counts stay (they hold no identity): 4 tracked, 3 published by the relay from the outbox
    expect(sum(await series('VIEWS', T - MINUTE_MS, T + MINUTE_MS))).toBe(7);
    expect((await callSubgraph<any>(svc.url, FORGET, {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('durability', () => {
  it('loses no count across a restart, nor when Redis lost everything (restored from the rollups)', async () => {
    const ownEnv = analyticsEnv();
    let own = await startAnalytics(ownEnv);
    try {
      const T = base(3);
      const sessionId = `s-${uniqueSuffix()}`;
      const product = `prod_d${uniqueSuffix()}`;
      const view = (i: number) => ({ eventId: `d${i}`, sessionId, type: 'PRODUCT_VIEWED', productId: product, occurredAt: iso(T + i * 1000) });
      const send = async (svcNow: AnalyticsService, events: Array<Record<string, unknown>>) => {
        const r = await callSubgraph<any>(svcNow.url, TRACK, { events }, null);
        expect(r.data.trackEvents.accepted).toBe(events.length);
      };
      await send(own, [view(0), view(1), view(2), view(3)]);
      await own.bus.publish(OrderConfirmed.create({ orderId: 'ord_d', customerId: 'cust_d', lines: [], total: { amount: 500, currencyCode: 'USD' }, confirmedAt: iso(T) }, { aggregateId: 'ord_d' }));
      await quiet(own);
      const from = T - MINUTE_MS;
      const to = T + 5 * MINUTE_MS;
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(4);

      await own.stop();
      own = await startAnalytics(ownEnv);
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(4);
      await send(own, [view(0), view(1), view(4), view(5)]); // two seen before, two new
      await quiet(own);
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(6);

      // Redis loses everything of this deployment, after the rollups were flushed (stopping flushes too)
      await own.flush();
      const minute = await own.db.collection('analytics_minutes').findOne({ _id: Math.floor(T / MINUTE_MS) } as never);
      expect(minute?.counts.views).toBe(6);
      await own.stop();
      expect(await deleteRedisKeys(ownEnv.ANALYTICS_REDIS_PREFIX!)).toBeGreaterThan(0);
      own = await startAnalytics(ownEnv);
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(6);
      expect(sum(await series('REVENUE', from, to, { currencyCode: 'USD' }, own))).toBe(5);
      const funnel = await callSubgraph<any>(own.url, FUNNEL, { from: iso(from), to: iso(to) }, ADMIN);
      expect(funnel.data.analyticsFunnel).toMatchObject({ viewed: 1, ordered: 1 });
      const top = await callSubgraph<any>(own.url, TOP, { by: 'VIEWS', from: iso(from), to: iso(to) }, ADMIN);
      expect(top.data.topProducts).toEqual([{ productId: product, count: 6, product: { id: product } }]);
      // counting carries on on top of the restored buckets
      await send(own, [view(6)]);
      await quiet(own);
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(7);

      // Redis loses everything while the service runs, and counts arrive before the flusher notices
      await own.flush();
      await deleteRedisKeys(ownEnv.ANALYTICS_REDIS_PREFIX!);
      await send(own, [view(7)]);
      await quiet(own);
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(1);
      await own.flush(); // finds the marker gone: adds the rollups to what was counted since, then flushes
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(8);
      await own.flush(); // restored once only
      expect(sum(await series('VIEWS', from, to, {}, own))).toBe(8);
      expect((await own.db.collection('analytics_minutes').findOne({ _id: Math.floor(T / MINUTE_MS) } as never))?.counts.views).toBe(8);

      // pruning: minute rollups after 7 days; hour rollups stay
      expect(await own.db.collection('analytics_minutes').countDocuments({})).toBeGreaterThan(0);
      expect(await own.deps.store.prune(Date.now() + 40 * 24 * HOUR_MS)).toBeGreaterThan(0);
      expect(await own.db.collection('analytics_minutes').countDocuments({})).toBe(0);
      expect(await own.db.collection('analytics_hours').countDocuments({ _id: HOUR0 - 3 } as never)).toBe(1);
    } finally {
      await own.stop();
      await cleanUp(ownEnv);
    }
  });
});
