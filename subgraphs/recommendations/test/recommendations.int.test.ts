import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus, type EventEnvelope } from '@commerce/events';
import { ActivityForgotten, CartLineAdded, InteractionsRecorded, OrderConfirmed, ProductCreated, ProductStatusChanged, StockLevelChanged } from '@commerce/events/contracts';
import { CommandCounter, newId, type Identity } from '@commerce/platform';
import { ADMIN, callSubgraph, eventually, serviceEnv, TEST_EVENTS, testInfra } from '@commerce/testing';
import { seededRng } from '../src/domain/bandit.ts';
import { startRecommendations, type RecommendationsService } from '../src/index.ts';

/**
 * The recommendations subgraph started in-process against the test NATS and database, fed by
 * events published straight to the bus (as catalog, inventory, analytics, cart and orders would).
 * Every wait is for a condition (the model reaching the stream's last sequence, an answer
 * changing), never a fixed sleep. Ids are unique per run: other tests share the stream.
 */
const LIST = 'slot strategy recommendationId items { product { id } score strategy }';
const PRODUCT_RECS = `query ($reps: [_Any!]!, $first: Int) { _entities(representations: $reps) { ... on Product { id recommendations(first: $first) { ${LIST} } } } }`;
const CUSTOMER_RECS = `query ($reps: [_Any!]!, $first: Int) { _entities(representations: $reps) { ... on Customer { id recommended(first: $first) { ${LIST} } } } }`;
const SESSION = `query ($s: String!, $first: Int) { recommendedForSession(sessionId: $s, first: $first) { ${LIST} } }`;
const TRENDING = `query ($first: Int) { trending(first: $first) { ${LIST} } }`;
const STATS = `{ recommendationStats {
  arms { slot strategy impressions clicks ctr alpha beta choices shareOfTraffic }
  conversion { recommendedClicks recommendedPurchases recommendedConversionRate otherViews otherPurchases otherConversionRate }
  model { products subjects pairs lastAppliedSequence lagMs snapshotSequence snapshotTakenAt } } }`;

interface Item {
  product: { id: string };
  score: number;
  strategy: string;
}
interface List {
  slot: string;
  strategy: string;
  recommendationId: string;
  items: Item[];
}

const envs: NodeJS.ProcessEnv[] = [];
const running: RecommendationsService[] = [];
let env: NodeJS.ProcessEnv;
let svc: RecommendationsService;
/** the other services' side: publishes to the same stream, also while the service is down */
let bus: EventBus;

async function start(e: NodeJS.ProcessEnv, seed = 1): Promise<RecommendationsService> {
  const s = await startRecommendations(e, { monitorCommands: true, rng: seededRng(seed) });
  running.push(s);
  return s;
}
async function stop(s: RecommendationsService): Promise<void> {
  running.splice(running.indexOf(s), 1);
  await s.stop();
}

beforeAll(async () => {
  // snapshots only when the test takes them (or a forget asks); chunks of 2 KB: every snapshot is several documents
  env = serviceEnv('recommendations', { RECOMMENDATIONS_SNAPSHOT_EVERY_MS: '3600000', RECOMMENDATIONS_SNAPSHOT_CHUNK_BYTES: '2048' });
  envs.push(env);
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'recommendations-test-publisher', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  svc = await start(env);
});

afterAll(async () => {
  for (const s of [...running]) await s.stop();
  await bus?.close();
  const client = new MongoClient(testInfra().mongoUrl);
  for (const e of envs) await client.db(e.RECOMMENDATIONS_DB_NAME).dropDatabase().catch(() => undefined);
  await client.close();
});

// ───────────────────────────── events, as the other services publish them ─────────────────────────────

const usd = { amount: 1500, currencyCode: 'USD' };
const now = () => new Date().toISOString();

async function publish(...events: EventEnvelope[]): Promise<void> {
  for (const e of events) await bus.publish(e);
}

/** waits until the model has applied everything the stream holds now */
async function settled(s = svc): Promise<void> {
  const { state } = await bus.jsm.streams.info(bus.stream);
  await eventually(async () => s.recommender.lastAppliedSequence >= state.last_seq, 15_000);
}

async function products(categoryId: string, count: number): Promise<Array<{ id: string; variantId: string }>> {
  const made = Array.from({ length: count }, () => ({ id: newId('prod'), variantId: newId('var') }));
  await publish(
    ...made.map((p) =>
      ProductCreated.create(
        { id: p.id, handle: `h-${p.id}`, title: 'Thing', description: '', categoryIds: [categoryId], status: 'ACTIVE', createdAt: now(), version: 1, variants: [{ id: p.variantId, sku: `sku-${p.id}`, title: 'One', options: [], price: usd }] },
        { aggregateId: p.id },
      ),
    ),
  );
  return made;
}

type Kind = 'PRODUCT_VIEWED' | 'RECOMMENDATION_SHOWN' | 'RECOMMENDATION_CLICKED';
const interactions = (sessionId: string, customerId: string | null, items: Array<{ type: Kind; productId?: string; slot?: string; strategy?: string }>) =>
  InteractionsRecorded.create(
    {
      batchId: randomUUID(),
      sessionId,
      customerId,
      interactions: items.map((i) => ({ eventId: randomUUID(), type: i.type, productId: i.productId ?? null, productIds: [], query: null, slot: i.slot ?? null, strategy: i.strategy ?? null, occurredAt: now() })),
    },
    { aggregateId: sessionId },
  );
const viewed = (sessionId: string, ids: string[], customerId: string | null = null) => interactions(sessionId, customerId, ids.map((productId) => ({ type: 'PRODUCT_VIEWED' as const, productId })));
const confirmed = (customerId: string, ids: string[]) => {
  const orderId = newId('ord');
  return OrderConfirmed.create(
    { orderId, customerId, lines: ids.map((productId) => ({ productId, variantId: newId('var'), sku: 'sku', title: 'Thing', quantity: 1, unitPrice: usd })), total: usd, confirmedAt: now() },
    { aggregateId: orderId },
  );
};

// ───────────────────────────── reading lists ─────────────────────────────

const customer = (): Identity => ({ id: newId('cust'), roles: ['CUSTOMER'] });

async function productList(productId: string, user: Identity | null = null, first = 10, s = svc): Promise<List> {
  const r = await callSubgraph<any>(s.url, PRODUCT_RECS, { reps: [{ __typename: 'Product', id: productId }], first }, user);
  expect(r.errors).toBeUndefined();
  return r.data._entities[0].recommendations;
}
async function sessionList(sessionId: string, first = 10, s = svc, user: Identity | null = null): Promise<List> {
  const r = await callSubgraph<any>(s.url, SESSION, { s: sessionId, first }, user);
  expect(r.errors).toBeUndefined();
  return r.data.recommendedForSession;
}
async function stats(s = svc): Promise<any> {
  const r = await callSubgraph<any>(s.url, STATS, {}, ADMIN);
  expect(r.errors).toBeUndefined();
  return r.data.recommendationStats;
}
/** a list's products and strategies; its scores to 6 significant digits */
const shape = (l: List) => ({ slot: l.slot, strategy: l.strategy, items: l.items.map((i) => `${i.product.id} ${i.strategy}`) });
const scores = (l: List) => l.items.map((i) => Number(i.score.toPrecision(6)));
const ids = (list: List, strategy?: string) => list.items.filter((i) => !strategy || i.strategy === strategy).map((i) => i.product.id);
/** asks until the bandit gives the wanted strategy (a home list's strategy is drawn) */
async function sessionListOf(strategy: string, sessionId: string, s = svc, first = 10): Promise<List> {
  return eventually(async () => {
    const l = await sessionList(sessionId, first, s);
    return l.strategy === strategy && l;
  }, 15_000, 10);
}

// ───────────────────────────── the tests ─────────────────────────────

let clusterA: Array<{ id: string; variantId: string }>;
let clusterB: Array<{ id: string; variantId: string }>;
const shopperX = `sess-${randomUUID()}`;

describe('recommendations fed by events', () => {
  it('a session that viewed items of one cluster gets that cluster recommended', async () => {
    const [catA, catB] = [newId('cat'), newId('cat')];
    clusterA = await products(catA, 6);
    clusterB = await products(catB, 6);
    // shoppers before: each cluster is viewed together
    for (let s = 0; s < 4; s++) {
      await publish(viewed(`sess-${randomUUID()}`, clusterA.map((p) => p.id)), viewed(`sess-${randomUUID()}`, clusterB.map((p) => p.id)));
    }
    await publish(viewed(shopperX, [clusterA[0]!.id, clusterA[1]!.id]));
    await settled();
    const list = await sessionListOf('personal', shopperX);
    expect(list.slot).toBe('home');
    expect(list.recommendationId).toMatch(/^rec_/);
    const personal = ids(list, 'personal');
    expect(personal.length).toBeGreaterThanOrEqual(4);
    const a = new Set(clusterA.map((p) => p.id));
    expect(personal.every((id) => a.has(id))).toBe(true);
    // the rest of the cluster: what it has not looked at yet comes first
    expect(personal.slice(0, 4).sort()).toEqual(clusterA.slice(2).map((p) => p.id).sort());
    // the cluster first; other clusters only fill the list up (trending, each item says so)
    expect(list.items.slice(0, 6).every((i) => a.has(i.product.id))).toBe(true);
    expect(list.items.filter((i) => !a.has(i.product.id)).every((i) => i.strategy !== 'personal')).toBe(true);
    // and the popular-in-category list is of the category it looked at
    const popular = await sessionListOf('popular-in-category', shopperX);
    expect(ids(popular).slice(0, 6).every((id) => a.has(id))).toBe(true);
  });

  it('a purchase changes the bought product\'s recommendations within seconds, and the buyer no longer gets what they bought', async () => {
    const catC = newId('cat');
    const [p, q, r] = await products(catC, 3);
    await settled();
    const before = await productList(p!.id);
    expect(before.slot).toBe('product-page');
    expect(before.strategy).toBe('popular-in-category'); // cold start: nothing co-occurs with it yet
    const buyer = customer();
    await publish(confirmed(buyer.id, [p!.id, r!.id]));
    const after = await eventually(async () => {
      const l = await productList(p!.id);
      return l.strategy === 'co-occurrence' && l;
    }, 10_000);
    expect(after.items[0]).toMatchObject({ product: { id: r!.id }, strategy: 'co-occurrence' });
    expect(ids(after)).toContain(q!.id); // topped up from its category
    const forBuyer = await productList(p!.id, buyer);
    expect(ids(forBuyer)).not.toContain(r!.id);
    expect(ids(forBuyer)).not.toContain(p!.id);
  });

  it('leaves out archived, out-of-stock and already bought products', async () => {
    const catD = newId('cat');
    const d = await products(catD, 5);
    for (let s = 0; s < 3; s++) await publish(viewed(`sess-${randomUUID()}`, d.map((x) => x.id)));
    const buyer = customer();
    // signed-in cart and purchase of d4
    await publish(CartLineAdded.create({ cartId: newId('cart'), customerId: buyer.id, productId: d[4]!.id, variantId: d[4]!.variantId, quantity: 1, unitPrice: usd, addedAt: now() }, { aggregateId: 'cart' }));
    await publish(confirmed(buyer.id, [d[4]!.id]));
    await settled();
    const co = async (user: Identity | null = null) => ids(await productList(d[0]!.id, user), 'co-occurrence');
    expect((await co()).sort()).toEqual(d.slice(1).map((x) => x.id).sort());
    expect(await co(buyer)).not.toContain(d[4]!.id);
    await publish(ProductStatusChanged.create({ productId: d[1]!.id, status: 'ARCHIVED', version: 2, changedAt: now() }, { aggregateId: d[1]!.id }));
    await publish(StockLevelChanged.create({ variantId: d[2]!.variantId, locationId: 'loc_main', onHand: 3, reserved: 3, available: 0, version: 5 }, { aggregateId: d[2]!.variantId }));
    await eventually(async () => (await co()).length === 2);
    expect((await co()).sort()).toEqual([d[3]!.id, d[4]!.id].sort());
    expect(await co(buyer)).toEqual([d[3]!.id]);
    // archived and out-of-stock are left out of every list, not only this one
    const all = [...ids(await productList(d[3]!.id, null, 50)), ...ids((await callSubgraph<any>(svc.url, TRENDING, { first: 50 })).data.trending)];
    expect(all).not.toContain(d[1]!.id);
    expect(all).not.toContain(d[2]!.id);
    // back in stock: back in the list
    await publish(StockLevelChanged.create({ variantId: d[2]!.variantId, locationId: 'loc_main', onHand: 5, reserved: 3, available: 2, version: 6 }, { aggregateId: d[2]!.variantId }));
    await eventually(async () => (await co()).includes(d[2]!.id));
  });

  it('validates first (1 to 50) and who may read a customer\'s list and the stats', async () => {
    for (const first of [0, 51, -1]) {
      const r = await callSubgraph<any>(svc.url, SESSION, { s: shopperX, first });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const p = await callSubgraph<any>(svc.url, PRODUCT_RECS, { reps: [{ __typename: 'Product', id: clusterA[0]!.id }], first });
      expect(p.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await sessionList(shopperX, 50)).items.length).toBeLessThanOrEqual(50);
    const me = customer();
    const mine = await callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }], first: 3 }, me);
    expect(mine.errors).toBeUndefined();
    expect(mine.data._entities[0].recommended.slot).toBe('home');
    expect((await callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }] }, customer())).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }] }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }] }, ADMIN)).errors).toBeUndefined();
    expect((await callSubgraph<any>(svc.url, STATS, {}, me)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await callSubgraph<any>(svc.url, STATS, {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a customer\'s list follows their own history, also what a session did before they signed in', async () => {
    const me = customer();
    const session = `sess-${randomUUID()}`;
    await publish(viewed(session, [clusterB[0]!.id, clusterB[1]!.id])); // anonymous
    await publish(interactions(session, me.id, [{ type: 'PRODUCT_VIEWED', productId: clusterB[2]!.id }])); // signed in: the session becomes theirs
    await settled();
    expect(svc.recommender.knows(`sess:${session}`)).toBe(false);
    const list = await eventually(async () => {
      const r = await callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }], first: 5 }, me);
      const l = r.data._entities[0].recommended as List;
      return l.strategy === 'personal' && l;
    }, 15_000, 10);
    const b = new Set(clusterB.map((p) => p.id));
    expect(ids(list, 'personal').length).toBeGreaterThan(0);
    expect(ids(list, 'personal').every((id) => b.has(id))).toBe(true);
  });

  it('clicks shift the bandit\'s traffic, and the stats show it with the conversion of recommended items', async () => {
    const before = await stats();
    const arm = (s: any, strategy: string) => s.arms.find((a: any) => a.slot === 'home' && a.strategy === strategy) ?? { impressions: 0, clicks: 0, choices: 0 };
    const target = clusterB[3]!.id;
    // the storefront reports 150 home lists of each strategy; trending ones are clicked a lot
    for (const [strategy, clicks] of [['trending', 60], ['personal', 2], ['popular-in-category', 2]] as const) {
      for (let k = 0; k < 3; k++) {
        await publish(interactions(`sess-${randomUUID()}`, null, Array.from({ length: 50 }, () => ({ type: 'RECOMMENDATION_SHOWN' as const, slot: 'home', strategy }))));
      }
      await publish(interactions(`sess-${randomUUID()}`, null, Array.from({ length: clicks }, () => ({ type: 'RECOMMENDATION_CLICKED' as const, productId: target, slot: 'home', strategy }))));
    }
    // a signed-in shopper clicks a recommendation and buys it; another item only viewed, then bought
    const buyer = customer();
    await publish(interactions(`sess-${randomUUID()}`, buyer.id, [{ type: 'RECOMMENDATION_CLICKED', productId: clusterA[5]!.id, slot: 'product-page', strategy: 'co-occurrence' }, { type: 'PRODUCT_VIEWED', productId: clusterA[5]!.id }, { type: 'PRODUCT_VIEWED', productId: clusterB[5]!.id }]));
    await publish(confirmed(buyer.id, [clusterA[5]!.id, clusterB[5]!.id]));
    await settled();
    const after = await stats();
    expect(arm(after, 'trending').impressions - arm(before, 'trending').impressions).toBe(150);
    expect(arm(after, 'trending').clicks - arm(before, 'trending').clicks).toBe(60);
    expect(arm(after, 'personal').clicks - arm(before, 'personal').clicks).toBe(2);
    const t = arm(after, 'trending');
    expect(t.alpha).toBe(t.clicks + 1);
    expect(t.beta).toBe(Math.max(0, t.impressions - t.clicks) + 1);
    expect(t.ctr).toBeCloseTo(t.clicks / t.impressions, 10);
    expect(after.conversion.recommendedClicks - before.conversion.recommendedClicks).toBe(65);
    expect(after.conversion.recommendedPurchases - before.conversion.recommendedPurchases).toBe(1);
    expect(after.conversion.otherPurchases - before.conversion.otherPurchases).toBe(1);
    expect(after.conversion.otherViews - before.conversion.otherViews).toBe(1); // the clicked item's page view is part of its click
    expect(after.model.lagMs).toBe(0);
    expect(after.model.lastAppliedSequence).toBeGreaterThan(0);
    expect(after.model.products).toBeGreaterThanOrEqual(20);

    // the traffic: a session with a history of its own (all three strategies eligible)
    const picks: string[] = [];
    for (let k = 0; k < 60; k++) picks.push((await sessionList(shopperX, 5)).strategy);
    expect(picks.filter((s) => s === 'trending').length).toBeGreaterThan(50);
    const share = await stats();
    expect(arm(share, 'trending').choices - arm(after, 'trending').choices).toBe(picks.filter((s) => s === 'trending').length);
    expect(arm(share, 'trending').shareOfTraffic).toBeGreaterThan(0.5);
    const metrics = await (await fetch(svc.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/recommendations_served_total\{slot="home",strategy="trending"[^}]*\} \d+/);
    expect(metrics).toMatch(/recommendations_events_applied_total\{type="commerce\.analytics\.interactions-recorded\.v1"[^}]*\} \d+/);
    expect(metrics).toMatch(/recommendations_model_lag_seconds\{[^}]*\} 0/);
  });

  it('serves every list from memory: no database command per request', async () => {
    const me = customer();
    const counter = new CommandCounter(svc.conn);
    const answers = await Promise.all([
      callSubgraph<any>(svc.url, PRODUCT_RECS, { reps: clusterA.map((p) => ({ __typename: 'Product', id: p.id })), first: 5 }, me),
      callSubgraph<any>(svc.url, CUSTOMER_RECS, { reps: [{ __typename: 'Customer', id: me.id }], first: 5 }, me),
      callSubgraph<any>(svc.url, SESSION, { s: shopperX, first: 5 }),
      callSubgraph<any>(svc.url, TRENDING, { first: 5 }),
      callSubgraph<any>(svc.url, STATS, {}, ADMIN),
    ]);
    counter.stop();
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(answers[0]!.data._entities).toHaveLength(6);
    // the event backbone's own background work (outbox relay) may run meanwhile: not the requests' doing
    const background = ['outbox', 'dead_letters', 'processed_events', '_pruning'];
    expect([...counter.counts.keys()].filter((k) => !background.includes(k.split(' ')[1] ?? ''))).toEqual([]);
  });

  it('forgets a customer and their sessions: in memory at once, in the stored snapshot soon after', async () => {
    const me = customer();
    const [s1, s2] = [`sess-${randomUUID()}`, `sess-${randomUUID()}`];
    await publish(viewed(s1, [clusterA[2]!.id, clusterA[3]!.id]));
    await publish(viewed(s2, [clusterB[2]!.id], me.id));
    await publish(confirmed(me.id, [clusterB[3]!.id]));
    await publish(interactions(s1, null, [{ type: 'RECOMMENDATION_CLICKED', productId: clusterA[4]!.id, slot: 'home', strategy: 'personal' }]));
    await settled();
    await svc.snapshots.takeNow({ force: true });
    const stored = async () => JSON.stringify((await svc.store.loadLatest())!.snapshot);
    // (s2 was signed in from its first batch: its history was the customer's from the start)
    for (const id of [me.id, s1]) expect(await stored()).toContain(id);
    expect(svc.recommender.knows(`cust:${me.id}`)).toBe(true);

    await publish(ActivityForgotten.create({ customerId: me.id, sessionIds: [s1, s2], forgottenAt: now() }, { aggregateId: me.id }));
    await settled();
    for (const s of [`cust:${me.id}`, `sess:${s1}`, `sess:${s2}`]) expect(svc.recommender.knows(s)).toBe(false);
    // what they bought is no longer theirs: it is not left out of their list any more
    const r = await callSubgraph<any>(svc.url, PRODUCT_RECS, { reps: [{ __typename: 'Product', id: clusterB[2]!.id }], first: 20 }, me);
    expect(ids(r.data._entities[0].recommendations)).toContain(clusterB[3]!.id);
    // the snapshot written after the forget holds nothing of them, and older ones are gone (with their chunks)
    const client = new MongoClient(testInfra().mongoUrl);
    try {
      const chunks = client.db(env.RECOMMENDATIONS_DB_NAME).collection('model_snapshot_chunks');
      await eventually(async () => {
        const json = await stored();
        if ([me.id, s1, s2].some((id) => json.includes(id))) return false;
        const heads = await svc.store.list();
        return heads.length === 1 && (await chunks.countDocuments({})) === heads[0]!.chunks;
      }, 10_000);
      expect((await svc.store.list())[0]!.chunks).toBeGreaterThan(1); // 2 KB chunks here
    } finally {
      await client.close();
    }
  });

  it('restarts with the same answers: the snapshot, then the stream after it', async () => {
    const rec = svc.recommender;
    await settled();
    const productAnswers = async (x: RecommendationsService) => Promise.all([...clusterA, ...clusterB].map((p) => productList(p.id, null, 5, x)));
    const beforeProducts = await productAnswers(svc);
    const beforeStats = await stats();
    // a home list's strategy is drawn: the same draw (seed) on the same state gives the same list
    const homeList = (x: RecommendationsService) => x.recommender.forSubject(`sess:${shopperX}`, 10, seededRng(77));
    const beforeList = homeList(svc);
    await stop(svc);
    // the stopped instance's state, exactly as its final snapshot must hold it
    const expected = JSON.parse(JSON.stringify(rec.snapshot()));

    svc = await start(env, 2);
    expect(svc.startedFrom?.sequence).toBe(rec.lastAppliedSequence);
    expect(svc.feed.startSequence).toBe(rec.lastAppliedSequence + 1);
    expect((await svc.store.loadLatest())!.snapshot).toEqual(expected);
    await settled();
    // other test runs may publish to the stream meanwhile (and move the model's clock by seconds):
    // the lists are compared by products and strategies, the scores to 6 digits
    expect((await productAnswers(svc)).map(shape)).toEqual(beforeProducts.map(shape));
    expect((await productAnswers(svc)).map(scores)).toEqual(beforeProducts.map(scores));
    const afterList = homeList(svc);
    expect({ ...afterList, items: afterList.items.map((i) => i.productId) }).toEqual({ ...beforeList, items: beforeList.items.map((i) => i.productId) });
    const afterStats = await stats();
    const arms = (x: any) => x.arms.map(({ choices: _c, shareOfTraffic: _s, ...a }: any) => a);
    expect(arms(afterStats)).toEqual(arms(beforeStats));
    expect(afterStats.conversion).toEqual(beforeStats.conversion);

    // a purchase while it is down is replayed from the stream after the snapshot
    await stop(svc);
    const [e1, e2] = await products(newId('cat'), 2);
    await publish(confirmed(customer().id, [e1!.id, e2!.id]));
    svc = await start(env, 2);
    await settled();
    const l = await productList(e1!.id);
    expect(l.strategy).toBe('co-occurrence');
    expect(ids(l)[0]).toBe(e2!.id);
  });

  it('a new instance with an empty database rebuilds the same model from the stream alone', async () => {
    const fresh = serviceEnv('recommendations', { RECOMMENDATIONS_COLD_START_FROM: 'all', RECOMMENDATIONS_SNAPSHOT_EVERY_MS: '3600000' });
    envs.push(fresh);
    const other = await start(fresh, 3);
    expect(other.startedFrom).toBeNull();
    expect(other.feed.startSequence).toBeLessThanOrEqual(2); // the first message the stream retains
    await settled(other);
    await settled(svc);
    // co-occurrence involves these products only (the fill from the whole catalog differs: this
    // instance also knows every other test's products)
    const co = (l: List): List => ({ ...l, items: l.items.filter((i) => i.strategy === 'co-occurrence') });
    for (const p of [...clusterA, ...clusterB]) {
      const [mine, theirs] = [co(await productList(p.id, null, 8, svc)), co(await productList(p.id, null, 8, other))];
      expect(mine.items.length).toBeGreaterThan(0);
      expect(shape(theirs)).toEqual(shape(mine));
      expect(scores(theirs)).toEqual(scores(mine));
    }
    const personal = (x: RecommendationsService) => x.recommender.model.personal(`sess:${shopperX}`, 4).filter((i) => i.strategy === 'personal').map((i) => i.productId).sort();
    expect(personal(other)).toEqual(personal(svc));
    await stop(other);
  }, 120_000);

  it('keeps a snapshot ahead of the stream (the stream was recreated) and reads the new stream from its start', async () => {
    const ahead = serviceEnv('recommendations', { RECOMMENDATIONS_SNAPSHOT_EVERY_MS: '3600000' });
    envs.push(ahead);
    const first = await start(ahead, 4);
    const snapshot = { ...svc.recommender.snapshot(), sequence: 1e12 };
    await first.store.save(snapshot, 'test');
    await stop(first);
    const next = await start(ahead, 4);
    expect(next.startedFrom?.sequence).toBe(1e12);
    expect(next.feed.startSequence).toBeLessThanOrEqual(2);
    await settled(next);
    expect(next.recommender.lastAppliedSequence).toBeLessThan(1e12);
    const co = (l: List) => l.items.filter((i) => i.strategy === 'co-occurrence').map((i) => i.product.id);
    expect(co(await productList(clusterA[0]!.id, null, 5, next))).toEqual(co(await productList(clusterA[0]!.id, null, 5)));
    await stop(next);
  }, 120_000);
});

