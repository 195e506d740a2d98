import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@commerce/events';
import { InteractionsRecorded } from '@commerce/events/contracts';
import { eventually, testInfra, uniqueSuffix, waitQuiet } from '@commerce/testing';
import type { AnalyticsService } from '@commerce/analytics';
import type { RecommendationsService } from '@commerce/recommendations';
import { send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * The intelligence loop through the router (docs/intelligence.md): storefront interactions in,
 * exact analytics out, recommendations that follow what shoppers view and buy, a bandit that
 * follows clicks, and a customer who asks to be forgotten — checked in every store.
 */
let platform: Platform;
let shop: Shop;
let client: MongoClient;
let admin: string;
const analytics = () => platform.services.analytics as AnalyticsService;
const recommendations = () => platform.services.recommendations as RecommendationsService;

beforeAll(async () => {
  platform = await startPlatform({ serviceEnv: { analytics: { ANALYTICS_FLUSH_EVERY_MS: '500' }, recommendations: { RECOMMENDATIONS_SNAPSHOT_EVERY_MS: '1000' } } });
  shop = new Shop(platform);
  client = new MongoClient(testInfra().mongoUrl);
  admin = await shop.admin();
}, 120_000);
afterAll(async () => {
  await client?.close();
  await platform?.stop();
});

async function category(name: string): Promise<string> {
  const r = await send<any>(platform, 'CreateCategory', { name: `${name} ${uniqueSuffix()}` }, admin);
  return r.data!.createCategory.category.id as string;
}

/** `n` stocked products in one category. */
async function products(categoryId: string, n: number): Promise<Array<{ id: string; handle: string; variantId: string }>> {
  const made = [];
  for (let i = 0; i < n; i++) {
    const s = uniqueSuffix();
    const r = await send<any>(
      platform,
      'CreateProduct',
      { input: { handle: `intel-${s}`, title: `Intel ${s}`, categoryIds: [categoryId], variants: [{ sku: `INT-${s}`, title: 'Default', price: { amount: '20.00', currencyCode: 'USD' } }] } },
      admin,
    );
    const p = r.data!.createProduct.product;
    await shop.setStock(p.variants[0].id, 1000);
    made.push({ id: p.id as string, handle: p.handle as string, variantId: p.variants[0].id as string });
  }
  return made;
}

type Event = { type: string; productId?: string; productIds?: string[]; slot?: string; strategy?: string; query?: string };
async function track(sessionId: string, events: Event[], token?: string, eventIds?: string[]) {
  const r = await send<any>(platform, 'TrackEvents', { events: events.map((e, i) => ({ eventId: eventIds?.[i] ?? randomUUID(), sessionId, ...e })) }, token);
  expect(r.errors).toBeUndefined();
  expect(r.data!.trackEvents.userErrors).toEqual([]);
  return r.data!.trackEvents.accepted as number;
}
const views = (ids: string[]): Event[] => ids.map((productId) => ({ type: 'PRODUCT_VIEWED', productId }));
const itemIds = (list: any) => list.items.map((i: any) => i.product.id as string);

/** The stream sequences of interactions-recorded messages that mention any of these ids (an ordered read of the whole subject). */
async function interactionMessagesMentioning(ids: string[]): Promise<number[]> {
  const bus = analytics().bus;
  const consumer = await bus.js.consumers.get(bus.stream, { filter_subjects: bus.subject(InteractionsRecorded.type) });
  const found: number[] = [];
  for (;;) {
    let last = true;
    for await (const m of await consumer.fetch({ max_messages: 500, expires: 2000 })) {
      if (ids.some((id) => m.string().includes(id))) found.push(m.seq);
      last = m.info.pending === 0;
      if (last) break;
    }
    if (last) return found;
  }
}

/** Everything analytics was sent is published and counted: no outbox entry pending, every consumer quiet. */
async function analyticsQuiet(): Promise<void> {
  const svc = analytics();
  await waitQuiet({ bus: svc.bus, durables: svc.consumers, dbs: [svc.db], timeoutMs: 20_000 });
}

describe('recommendations through the router', () => {
  it("a session that views cluster A's products gets cluster A recommended", async () => {
    const [a, b] = await Promise.all([category('Cluster A'), category('Cluster B')]);
    const clusterA = await products(a, 6);
    const clusterB = await products(b, 6);
    // other shoppers browse within one cluster: A's products go together, B's together
    for (let s = 0; s < 4; s++) {
      await track(`shopper-a-${s}-${randomUUID()}`, views(clusterA.map((p) => p.id)));
      await track(`shopper-b-${s}-${randomUUID()}`, views(clusterB.map((p) => p.id)));
    }
    const me = `session-${randomUUID()}`;
    await track(me, views([clusterA[0]!.id, clusterA[1]!.id]));
    const list = await eventually(async () => {
      const r = await send<any>(platform, 'RecommendedForSession', { sessionId: me, first: 4 });
      const l = r.data?.recommendedForSession;
      return l && itemIds(l).some((id: string) => clusterA.slice(2).some((p) => p.id === id)) ? l : undefined;
    }, 15_000);
    const aIds = new Set(clusterA.map((p) => p.id));
    const bIds = new Set(clusterB.map((p) => p.id));
    const shown = itemIds(list);
    expect(shown.filter((id: string) => aIds.has(id)).length).toBeGreaterThan(shown.filter((id: string) => bIds.has(id)).length);
    expect(list.items.every((i: any) => typeof i.strategy === 'string' && i.strategy.length > 0)).toBe(true);
    // and the product page of an A product suggests A
    const page = await send<any>(platform, 'ProductRecommendations', { handle: clusterA[2]!.handle, first: 4 });
    expect(page.data!.product.recommendations.slot).toBe('product-page');
    expect(itemIds(page.data!.product.recommendations).filter((id: string) => aIds.has(id)).length).toBeGreaterThan(0);
  }, 90_000);

  it("a purchase changes the bought product's recommendations", async () => {
    const c = await category('Bundle');
    const [p, q] = await products(c, 2);
    const before = await send<any>(platform, 'ProductRecommendations', { id: p!.id, first: 10 });
    expect(before.data!.product.recommendations.strategy).not.toBe('co-occurrence');
    const buyer = await shop.customer();
    const cartId = await shop.cartWith(buyer.token, p!.variantId, 1);
    await send<any>(platform, 'AddToCart', { cartId, variantId: q!.variantId, quantity: 1 }, buyer.token);
    const placed = await shop.placeOrder(buyer.token, cartId);
    expect((await shop.settled(buyer.token, placed.data!.placeOrder.order.id)).status).toBe('CONFIRMED');
    const after = await eventually(async () => {
      const r = await send<any>(platform, 'ProductRecommendations', { id: p!.id, first: 10 });
      const l = r.data?.product.recommendations;
      return l && l.items.some((i: any) => i.product.id === q!.id && i.strategy === 'co-occurrence') ? l : undefined;
    }, 15_000);
    expect(itemIds(after)).toContain(q!.id);
    // the buyer is not offered what they bought
    const mine = await send<any>(platform, 'ProductRecommendations', { id: p!.id, first: 10 }, buyer.token);
    expect(itemIds(mine.data!.product.recommendations)).not.toContain(q!.id);
  }, 60_000);

  it("clicks shift the bandit's traffic toward the strategy that gets them", async () => {
    const stats = async () => (await send<any>(platform, 'RecommendationStats', {}, admin)).data!.recommendationStats;
    const arm = (s: any, strategy: string) => s.arms.find((x: any) => x.slot === 'home' && x.strategy === strategy) ?? { impressions: 0, clicks: 0 };
    const before = await stats();
    // 60 home lists of each strategy shown; only trending's get clicked, 40 times
    const session = `bandit-${randomUUID()}`;
    const c = await category('Bandit');
    const [shownProduct] = await products(c, 1);
    const target = shownProduct!.id;
    const shownEvents: Event[] = [];
    for (const strategy of ['personal', 'popular-in-category', 'trending']) for (let i = 0; i < 60; i++) shownEvents.push({ type: 'RECOMMENDATION_SHOWN', productIds: [target], slot: 'home', strategy });
    const clickEvents: Event[] = [];
    for (let i = 0; i < 40; i++) clickEvents.push({ type: 'RECOMMENDATION_CLICKED', productId: target, slot: 'home', strategy: 'trending' });
    const all = [...shownEvents, ...clickEvents];
    for (let i = 0; i < all.length; i += 100) await track(session, all.slice(i, i + 100));
    const after = await eventually(async () => {
      const s = await stats();
      return arm(s, 'trending').clicks - arm(before, 'trending').clicks >= 40 ? s : undefined;
    }, 15_000);
    expect(arm(after, 'trending').impressions - arm(before, 'trending').impressions).toBe(60);
    expect(arm(after, 'personal').clicks - arm(before, 'personal').clicks).toBe(0);
    // new sessions' home lists: the bandit now mostly picks trending
    const picks: string[] = [];
    for (let i = 0; i < 30; i++) picks.push((await send<any>(platform, 'RecommendedForSession', { sessionId: `new-${randomUUID()}`, first: 3 })).data!.recommendedForSession.strategy);
    expect(picks.filter((s) => s === 'trending').length).toBeGreaterThan(20);
  }, 60_000);
});

describe('analytics through the router', () => {
  it('counts every event once, after duplicates and replays, and a restart of either service loses nothing', async () => {
    const c = await category('Counted');
    const [p] = await products(c, 1);
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const viewsOf = async () => {
      const r = await send<any>(platform, 'TopProducts', { by: 'VIEWS', from, to, first: 100 }, admin);
      expect(r.errors).toBeUndefined();
      return (r.data!.topProducts.find((x: any) => x.productId === p!.id)?.count as number) ?? 0;
    };
    const session = `counted-${randomUUID()}`;
    const ids = Array.from({ length: 20 }, () => randomUUID());
    expect(await track(session, views(Array(20).fill(p!.id)), undefined, ids)).toBe(20);
    // the same 20 again (a client retry) and the batch event replayed under a new envelope id
    await track(session, views(Array(20).fill(p!.id)), undefined, ids);
    const bus: EventBus = analytics().bus;
    await bus.publish(
      InteractionsRecorded.create(
        { batchId: `replay-${randomUUID()}`, sessionId: session, customerId: null, interactions: ids.map((eventId) => ({ eventId, type: 'PRODUCT_VIEWED', productId: p!.id, productIds: [], query: null, slot: null, strategy: null, occurredAt: new Date().toISOString() })) },
        { aggregateId: session },
      ),
    );
    await analyticsQuiet();
    expect(await viewsOf()).toBe(20);

    // 10 more, then analytics restarts: the count carries on from where it was
    await track(session, views(Array(10).fill(p!.id)));
    await analyticsQuiet();
    await platform.stopService('analytics');
    await platform.restartService('analytics');
    await analyticsQuiet();
    expect(await viewsOf()).toBe(30);
    // the series and the funnel see them too
    const series = await send<any>(platform, 'AnalyticsSeries', { metric: 'VIEWS', granularity: 'HOUR', from, to }, admin);
    expect(series.data!.analyticsSeries.reduce((n: number, pt: any) => n + pt.value, 0)).toBeGreaterThanOrEqual(30);
    const funnel = await send<any>(platform, 'AnalyticsFunnel', { from, to }, admin);
    expect(funnel.data!.analyticsFunnel.viewed).toBeGreaterThanOrEqual(1);

    // recommendations restarts from its snapshot and the stream after it: the same answers
    const question = { id: p!.id, first: 5 };
    const beforeRestart = itemIds((await send<any>(platform, 'ProductRecommendations', question)).data!.product.recommendations);
    await platform.stopService('recommendations');
    await platform.restartService('recommendations');
    const afterRestart = itemIds((await send<any>(platform, 'ProductRecommendations', question)).data!.product.recommendations);
    expect(afterRestart).toEqual(beforeRestart);

    // a customer cannot read analytics
    const shopper = await shop.customer();
    const denied = await send<any>(platform, 'TopProducts', { by: 'VIEWS', from, to }, shopper.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 90_000);

  it('bad input gets userErrors, and more than 100 events records nothing', async () => {
    const r = await send<any>(platform, 'TrackEvents', { events: [{ eventId: randomUUID(), sessionId: 's', type: 'PRODUCT_VIEWED' }] });
    expect(r.data!.trackEvents.accepted).toBe(0);
    expect(r.data!.trackEvents.userErrors[0].field).toEqual(['events', '0', 'productId']);
    const many = Array.from({ length: 101 }, () => ({ eventId: randomUUID(), sessionId: 's', type: 'SEARCH_PERFORMED', query: 'x' }));
    const tooMany = await send<any>(platform, 'TrackEvents', { events: many });
    expect(tooMany.data!.trackEvents).toMatchObject({ accepted: 0, userErrors: [expect.objectContaining({ code: 'TOO_MANY_EVENTS' })] });
  });
});

describe('forgetting', () => {
  it("forgetMyActivity erases the customer's behaviour from every store that kept it, and says so", async () => {
    const c = await category('Forgotten');
    const [p, q] = await products(c, 2);
    const shopper = await shop.customer();
    const session = `forget-${randomUUID()}`;
    await track(session, views([p!.id, q!.id]), shopper.token);
    const anonymous = `forget-anon-${randomUUID()}`;
    await track(anonymous, views([q!.id])); // before signing in…
    await track(anonymous, views([p!.id]), shopper.token); // …the same session, signed in: it is theirs now
    const subject = `cust:${shopper.id}`;
    await eventually(async () => recommendations().recommender.knows(subject), 15_000);
    await analyticsQuiet();
    await recommendations().snapshots.takeNow({ force: true });
    const analyticsDb = client.db(platform.dbNames.analytics);
    const recsSnapshot = async () => JSON.stringify((await recommendations().store.loadLatest())?.snapshot ?? {});
    expect(await analyticsDb.collection('session_links').countDocuments({ customerId: shopper.id })).toBe(2);
    expect(await recsSnapshot()).toContain(shopper.id);
    // their three calls are in the stream, as the two sessions' messages
    expect(await interactionMessagesMentioning([session, anonymous])).toHaveLength(3);

    const r = await send<any>(platform, 'ForgetMyActivity', {}, shopper.token);
    expect(r.data!.forgetMyActivity).toEqual({ forgotten: true, userErrors: [] });

    // analytics: no link, and nothing of their sessions in its outbox (interactions are not stored there)
    expect(await analyticsDb.collection('session_links').countDocuments({ customerId: shopper.id })).toBe(0);
    expect(await analyticsDb.collection('outbox').countDocuments({ aggregateId: session })).toBe(0);
    expect(await analyticsDb.collection('outbox').countDocuments({ aggregateId: anonymous })).toBe(0);
    // the stream: their sessions' interaction messages are erased, not left to age out
    expect(await interactionMessagesMentioning([session, anonymous, shopper.id])).toEqual([]);
    // recommendations: gone from memory, then from the stored snapshot
    await eventually(async () => !recommendations().recommender.knows(subject) && !recommendations().recommender.knows(`sess:${anonymous}`), 15_000);
    await eventually(async () => !(await recsSnapshot()).includes(shopper.id) && !(await recsSnapshot()).includes(anonymous), 15_000);
    // …and no store of theirs anywhere else in the two databases
    for (const db of [analyticsDb, client.db(platform.dbNames.recommendations)]) {
      for (const coll of await db.listCollections().toArray()) {
        // the record that they asked to be forgotten (and its outbox entry, the activity-forgotten event) stays
        if (coll.name === 'forget_requests') continue;
        const docs = (await db.collection(coll.name).find({}).toArray()).filter((d) => !(coll.name === 'outbox' && d.collection === 'forget_requests'));
        const left = [shopper.id, session, anonymous].flatMap((id) => docs.filter((d) => JSON.stringify(d).includes(id)).map((d) => `${db.databaseName}.${coll.name}/${String(d._id)}`));
        expect(left).toEqual([]);
      }
    }
    // their personal recommendations start over
    const mine = await send<any>(platform, 'RecommendedForMe', { first: 5 }, shopper.token);
    expect(mine.data!.me.recommended.strategy).not.toBe('personal');
    // signed out, nobody may ask
    const anon = await send<any>(platform, 'ForgetMyActivity', {});
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 90_000);
});
