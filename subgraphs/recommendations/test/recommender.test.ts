import { describe, expect, it } from 'vitest';
import { ActivityForgotten, CartLineAdded, InteractionsRecorded, OrderConfirmed, ProductCreated, ProductStatusChanged, ReviewAdded, StockLevelChanged } from '@commerce/events/contracts';
import { seededRng } from '../src/domain/bandit.ts';
import { Recommender, type RecommenderSnapshot } from '../src/domain/recommender.ts';
import { applyEvent } from '../src/events/model-feed.ts';

/** The recommender fed events in memory, as the feed does (no broker, no database). */
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const usd = { amount: 1000, currencyCode: 'USD' };
let n = 0;

function product(r: Recommender, id: string, categoryId: string, at = T0) {
  applyEvent(
    r,
    ProductCreated.create(
      { id, handle: id, title: id, description: '', categoryIds: [categoryId], status: 'ACTIVE', createdAt: iso(at), version: 1, variants: [{ id: `${id}-v`, sku: `${id}-sku`, title: 'One', options: [], price: usd }] },
      { aggregateId: id, occurredAt: new Date(at) },
    ),
  );
}

type Kind = 'PRODUCT_VIEWED' | 'RECOMMENDATION_SHOWN' | 'RECOMMENDATION_CLICKED';
function batch(sessionId: string, customerId: string | null, items: Array<{ type: Kind; productId?: string; slot?: string; strategy?: string; at?: number; eventId?: string }>, at = T0) {
  return InteractionsRecorded.create(
    {
      batchId: `b${++n}`,
      sessionId,
      customerId,
      interactions: items.map((i) => ({ eventId: i.eventId ?? `e${++n}`, type: i.type, productId: i.productId ?? null, productIds: i.type === 'RECOMMENDATION_SHOWN' && i.productId ? [i.productId] : [], query: null, slot: i.slot ?? null, strategy: i.strategy ?? null, occurredAt: iso(i.at ?? at) })),
    },
    { aggregateId: sessionId, occurredAt: new Date(at + 1000) },
  );
}

const views = (sessionId: string, ids: string[], at = T0, customerId: string | null = null) => batch(sessionId, customerId, ids.map((productId, k) => ({ type: 'PRODUCT_VIEWED' as const, productId, at: at + k * 1000 })), at + ids.length * 1000);
const order = (customerId: string, ids: string[], at: number) =>
  OrderConfirmed.create(
    { orderId: `o${++n}`, customerId, lines: ids.map((productId) => ({ productId, variantId: `${productId}-v`, sku: 's', title: 't', quantity: 1, unitPrice: usd })), total: usd, confirmedAt: iso(at) },
    { aggregateId: `o${n}`, occurredAt: new Date(at) },
  );

function shop(): Recommender {
  const r = Recommender.create();
  for (const id of ['a1', 'a2', 'a3', 'a4']) product(r, id, 'cat-a');
  for (const id of ['b1', 'b2', 'b3', 'b4']) product(r, id, 'cat-b');
  for (let s = 0; s < 5; s++) {
    applyEvent(r, views(`sa${s}`, ['a1', 'a2', 'a3', 'a4'], T0 + s * 60_000));
    applyEvent(r, views(`sb${s}`, ['b1', 'b2', 'b3', 'b4'], T0 + s * 60_000));
  }
  return r;
}

describe('the recommender fed by events', () => {
  it('recommends what was shopped together, without archived, out-of-stock or bought products', () => {
    const r = shop();
    const ids = () => r.forProduct('a1', 10, 'c1').items.filter((i) => i.strategy === 'co-occurrence').map((i) => i.productId);
    expect(r.forProduct('a1', 3, null)).toMatchObject({ slot: 'product-page', strategy: 'co-occurrence' });
    expect(ids().sort()).toEqual(['a2', 'a3', 'a4']);
    applyEvent(r, ProductStatusChanged.create({ productId: 'a2', status: 'ARCHIVED', version: 2, changedAt: iso(T0 + 600_000) }, { aggregateId: 'a2' }));
    applyEvent(r, StockLevelChanged.create({ variantId: 'a3-v', locationId: 'l1', onHand: 0, reserved: 0, available: 0, version: 3 }, { aggregateId: 'a3-v' }));
    applyEvent(r, order('c1', ['a4'], T0 + 700_000));
    expect(ids()).toEqual([]);
    // another shopper still gets a4
    expect(r.forProduct('a1', 10, null).items.map((i) => i.productId)).toContain('a4');
  });

  it('applies a re-published event and a repeated storefront interaction once', () => {
    const r = shop();
    const e = order('c2', ['b1'], T0 + 800_000);
    expect(applyEvent(r, e)).toBe(true);
    expect(applyEvent(r, e)).toBe(false);
    const shown = (eventId: string) => batch('s-dup', null, [{ type: 'RECOMMENDATION_SHOWN', productId: 'a1', slot: 'home', strategy: 'trending', eventId }]);
    applyEvent(r, shown('x1'));
    applyEvent(r, shown('x1')); // a new batch (the client sent it again), the same interaction
    applyEvent(r, shown('x2'));
    expect(r.bandit.armCounts('home', 'trending')).toEqual({ impressions: 2, clicks: 0 });
    // other event types and unknown strategies are ignored
    expect(applyEvent(r, CartLineAdded.create({ cartId: 'c', customerId: null, productId: 'a1', variantId: 'a1-v', quantity: 1, unitPrice: usd, addedAt: iso(T0) }, { aggregateId: 'c' }))).toBe(true);
    applyEvent(r, batch('s-dup', null, [{ type: 'RECOMMENDATION_SHOWN', slot: 'home', strategy: 'magic' }]));
    expect(r.bandit.stats().map((a) => a.strategy)).not.toContain('magic');
  });

  it('takes a review of 4 or 5 stars as a liking of the product, and a poorer one as nothing', () => {
    const review = (customerId: string, productId: string, rating: number, at: number) =>
      ReviewAdded.create({ reviewId: `r${++n}`, productId, customerId, rating, createdAt: iso(at) }, { aggregateId: `r${n}`, occurredAt: new Date(at) });
    const later = T0 + 30 * 86_400_000; // a month on: a new episode for everything
    const likedWith = (liked: Recommender) => liked.forProduct('b3', 10, null).items.filter((i) => i.strategy === 'co-occurrence').map((i) => i.productId);
    // two shoppers each look at a1 and then review b3: glowing in one shop, poorly in the other
    const [glowing, poor] = [shop(), shop()];
    for (const [r, rating] of [[glowing, 5], [poor, 2]] as const) {
      for (const c of ['cr1', 'cr2']) {
        applyEvent(r, views(`s-${c}`, ['a1'], later, c));
        expect(applyEvent(r, review(c, 'b3', rating, later + 5000))).toBe(true);
      }
    }
    expect(likedWith(glowing)).toContain('a1');
    expect(likedWith(poor)).not.toContain('a1');
    // and the review's product is theirs now: it leads their personal suggestions' neighbours
    expect(glowing.knows('cust:cr1')).toBe(true);
  });

  it('counts recommended purchases (within 24 h of a click) against the rest', () => {
    const r = shop();
    const t = T0 + 3600_000;
    applyEvent(r, batch('s-c', null, [{ type: 'RECOMMENDATION_CLICKED', productId: 'a1', slot: 'home', strategy: 'personal', at: t }]));
    applyEvent(r, batch('s-c', null, [{ type: 'PRODUCT_VIEWED', productId: 'a1', at: t + 1000 }])); // the page the click opened
    applyEvent(r, batch('s-c', 'cust-c', [{ type: 'PRODUCT_VIEWED', productId: 'b1', at: t + 2000 }])); // signs in: the session is theirs
    applyEvent(r, batch('s-c', 'cust-c', [{ type: 'RECOMMENDATION_CLICKED', productId: 'b2', slot: 'home', strategy: 'personal', at: t + 3000 }]));
    const before = r.conversion.stats();
    applyEvent(r, order('cust-c', ['a1', 'b1'], t + 3600_000));
    applyEvent(r, order('cust-c', ['b2'], t + 25 * 3600_000)); // more than 24 h after its click
    const after = r.conversion.stats();
    expect(after.recommendedClicks - before.recommendedClicks).toBe(0);
    expect(after.recommendedPurchases - before.recommendedPurchases).toBe(1);
    expect(after.otherPurchases - before.otherPurchases).toBe(1);
    expect(r.bandit.armCounts('home', 'personal').clicks).toBe(2);
    expect(after.recommendedConversionRate).toBeCloseTo(1 / 2, 10);
  });

  it('forgets a customer and their sessions, and a snapshot taken after holds nothing of them', () => {
    const r = shop();
    applyEvent(r, views('s-f1', ['a1', 'a2']));
    applyEvent(r, views('s-f2', ['b1'], T0 + 1000, 'cust-f'));
    applyEvent(r, order('cust-f', ['b2'], T0 + 5000));
    applyEvent(r, batch('s-f1', null, [{ type: 'RECOMMENDATION_CLICKED', productId: 'a3', slot: 'home', strategy: 'personal' }]));
    for (const s of ['cust:cust-f', 'sess:s-f1']) expect(r.knows(s)).toBe(true);
    expect(JSON.stringify(r.snapshot())).toContain('cust-f');
    applyEvent(r, ActivityForgotten.create({ customerId: 'cust-f', sessionIds: ['s-f1', 's-f2'], forgottenAt: iso(T0 + 9000) }, { aggregateId: 'cust-f' }));
    for (const s of ['cust:cust-f', 'sess:s-f1', 'sess:s-f2']) expect(r.knows(s)).toBe(false);
    const json = JSON.stringify(r.snapshot());
    for (const id of ['cust-f', 's-f1', 's-f2']) expect(json).not.toContain(id);
    expect(r.forgets).toBe(1);
  });

  it('answers the same after a snapshot round trip', () => {
    const r = shop();
    applyEvent(r, views('s-x', ['a1', 'b1', 'a2']));
    applyEvent(r, batch('s-x', null, [{ type: 'RECOMMENDATION_SHOWN', slot: 'home', strategy: 'personal' }]));
    r.markApplied(1234, T0, 0);
    const copy = Recommender.restore(JSON.parse(JSON.stringify(r.snapshot())) as RecommenderSnapshot);
    expect(copy.lastAppliedSequence).toBe(1234);
    expect(copy.forProduct('a1', 5, null)).toEqual(r.forProduct('a1', 5, null));
    expect(copy.trending(5, null)).toEqual(r.trending(5, null));
    expect(copy.forSubject('sess:s-x', 5, seededRng(9))).toEqual(r.forSubject('sess:s-x', 5, seededRng(9)));
    expect(copy.stats(0).conversion).toEqual(r.stats(0).conversion);
  });

  it('picks a home list among the strategies that have something to show', () => {
    const r = shop();
    applyEvent(r, views('s-h', ['a1']));
    const rng = seededRng(4);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const list = r.forSubject('sess:s-h', 4, rng);
      seen.add(list.strategy);
      expect(list.items).toHaveLength(4);
      expect(new Set(list.items.map((x) => x.productId)).size).toBe(4);
      if (list.strategy === 'personal') {
        expect(list.items[0]!.strategy).toBe('personal');
        expect(list.items.slice(0, 3).map((x) => x.productId).sort()).toEqual(['a2', 'a3', 'a4']); // what a1 was shopped with
      }
    }
    expect([...seen].sort()).toEqual(['personal', 'popular-in-category', 'trending']);
    // a session nobody has seen: no personal list
    for (let i = 0; i < 20; i++) expect(r.forSubject('sess:nobody', 4, rng).strategy).not.toBe('personal');
    // a model that knows nothing yet answers an empty list
    expect(Recommender.create().forSubject('sess:x', 4, rng)).toEqual({ slot: 'home', strategy: 'popular-in-category', items: [] });
  });
});
