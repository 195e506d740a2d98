import { describe, expect, it } from 'vitest';
import { RecommendationModel, type ModelOptions, type Scored, type Signal } from '../src/domain/model.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 10, 1);

const ids = (xs: Scored[]): string[] => xs.map((x) => x.productId);

/** a small catalog: shoes s1..s6 (category shoes), bags b1..b4 (category bags), one variant each */
function catalog(opts?: Partial<ModelOptions>, signals?: ConstructorParameters<typeof RecommendationModel>[1]): RecommendationModel {
  const m = new RecommendationModel(opts, signals);
  for (const p of ['s1', 's2', 's3', 's4', 's5', 's6']) m.setProduct(p, { categoryIds: ['shoes'], variantIds: [`${p}-v`], status: 'ACTIVE' });
  for (const p of ['b1', 'b2', 'b3', 'b4']) m.setProduct(p, { categoryIds: ['bags'], variantIds: [`${p}-v`], status: 'ACTIVE' });
  return m;
}

function buy(m: RecommendationModel, subject: string, items: string[], at: number, signal: Signal = 'purchase'): void {
  items.forEach((p, k) => m.record(subject, p, signal, at + k * 60_000));
}

describe('RecommendationModel', () => {
  it('co-purchased items become similar (strategy co-occurrence), the strongest first', () => {
    const m = catalog();
    for (let u = 0; u < 5; u++) buy(m, `u${u}`, ['s1', 'b1'], T + u * HOUR);
    buy(m, 'u9', ['s1', 'b2'], T + 9 * HOUR);
    const sim = m.similar('s1', 2);
    expect(ids(sim)).toEqual(['b1', 'b2']);
    expect(sim.every((r) => r.strategy === 'co-occurrence')).toBe(true);
    expect(sim[0]!.score).toBeGreaterThan(sim[1]!.score);
    // symmetric
    expect(ids(m.similar('b1', 1))).toEqual(['s1']);
  });

  it('a purchase counts more than a view; a view then a purchase of the same item counts once as a purchase', () => {
    const a = catalog();
    buy(a, 'u1', ['s1', 's2'], T, 'view');
    buy(a, 'u2', ['s1', 's3'], T, 'purchase');
    expect(ids(a.similar('s1', 2))).toEqual(['s3', 's2']);

    const b = catalog();
    const c = catalog();
    b.record('u', 's1', 'purchase', T);
    b.record('u', 's2', 'purchase', T + 1000);
    c.record('u', 's1', 'purchase', T);
    c.record('u', 's2', 'view', T + 500);
    c.record('u', 's2', 'purchase', T + 1000);
    // equal up to the decay of the half second between the view and the purchase
    expect(c.similar('s1', 1)[0]!.score / b.similar('s1', 1)[0]!.score).toBeCloseTo(1, 5);
  });

  it('decay: an old co-occurrence weighs less than a fresh one of the same strength', () => {
    const m = catalog({ halfLifeMs: 7 * DAY });
    for (let u = 0; u < 3; u++) buy(m, `old${u}`, ['s1', 's2'], T + u * HOUR);
    for (let u = 0; u < 3; u++) buy(m, `new${u}`, ['s1', 's3'], T + 30 * DAY + u * HOUR);
    const sim = m.similar('s1', 2);
    expect(ids(sim)).toEqual(['s3', 's2']);
    expect(sim[1]!.score).toBeLessThan(sim[0]!.score / 4);
    // the pair itself weakens with the time between its two facts; beyond the pair window, no pair
    const n = catalog({ pairWindowMs: 2 * DAY });
    n.record('u', 's1', 'purchase', T);
    n.record('u', 's2', 'purchase', T + HOUR);
    n.record('u', 's3', 'purchase', T + 3 * DAY);
    expect(ids(n.similar('s1', 5).filter((r) => r.strategy === 'co-occurrence'))).toEqual(['s2']);
  });

  it('filters archived, out-of-stock (every known variant at 0) and already-bought products', () => {
    const m = catalog();
    m.setProduct('s7', { categoryIds: ['shoes'], variantIds: ['s7-a', 's7-b'], status: 'ACTIVE' });
    for (let u = 0; u < 3; u++) buy(m, `u${u}`, ['s1', 's2', 's3', 's4', 's7'], T + u * HOUR);
    expect(ids(m.similar('s1', 4)).sort()).toEqual(['s2', 's3', 's4', 's7']);

    m.setProductStatus('s2', 'ARCHIVED');
    m.setVariantAvailable('s3-v', 0);
    m.setVariantAvailable('s7-a', 0); // s7-b unknown: still available
    let sim = ids(m.similar('s1', 10).filter((r) => r.strategy === 'co-occurrence'));
    expect(sim.sort()).toEqual(['s4', 's7']);
    m.setVariantAvailable('s7-b', 0);
    sim = ids(m.similar('s1', 10));
    expect(sim).not.toContain('s7');
    expect(sim).not.toContain('s2');
    expect(sim).not.toContain('s3');
    m.setVariantAvailable('s7-b', 2);
    m.setProductStatus('s2', 'ACTIVE');
    expect(ids(m.similar('s1', 10))).toEqual(expect.arrayContaining(['s2', 's7']));

    // already bought by the subject: not suggested to them, still to others
    m.record('me', 's4', 'purchase', T + DAY);
    expect(m.boughtBy('me').has('s4')).toBe(true);
    expect(ids(m.similar('s1', 10, { forSubject: 'me' }))).not.toContain('s4');
    expect(ids(m.similar('s1', 10))).toContain('s4');
    expect(ids(m.personal('me', 10))).not.toContain('s4');
    expect(ids(m.trending(10, { forSubject: 'me' }))).not.toContain('s4');
    expect(ids(m.popularInCategory('shoes', 10, { forSubject: 'me' }))).not.toContain('s4');
    // stock reported before the product is known
    m.setVariantAvailable('n1-v', 0);
    m.setProduct('n1', { categoryIds: ['shoes'], variantIds: ['n1-v'], status: 'ACTIVE' });
    expect(ids(m.popularInCategory('shoes', 20))).not.toContain('n1');
  });

  it('a purchase changes the suggestions at once', () => {
    const m = catalog();
    for (let u = 0; u < 4; u++) buy(m, `u${u}`, ['b1', 'b2'], T + u * HOUR);
    for (let u = 0; u < 4; u++) buy(m, `v${u}`, ['s1', 's2'], T + u * HOUR);
    m.record('me', 'b1', 'view', T + DAY);
    expect(m.personal('me', 1)[0]).toMatchObject({ productId: 'b2', strategy: 'personal' });
    m.record('me', 's1', 'purchase', T + DAY + 1000);
    expect(m.personal('me', 1)[0]).toMatchObject({ productId: 's2', strategy: 'personal' });
    expect(ids(m.personal('me', 10))).not.toContain('s1');
  });

  it('cold start: a product without co-occurrence gets popular-in-category; a new subject gets trending', () => {
    const m = catalog();
    buy(m, 'u1', ['s3'], T);
    buy(m, 'u2', ['s3', 's5'], T + HOUR, 'view');
    buy(m, 'u3', ['b4'], T + 2 * HOUR);
    const sim = m.similar('s1', 3);
    expect(sim.map((r) => r.strategy)).toEqual(['popular-in-category', 'popular-in-category', 'popular-in-category']);
    expect(ids(sim)).toEqual(['s3', 's5', 's2']); // by decayed popularity, then productId; never the product itself
    expect(ids(m.popularInCategory('shoes', 2))).toEqual(['s3', 's5']);
    expect(ids(m.popularInCategory('shoes', 2, { exclude: new Set(['s3']) }))).toEqual(['s5', 's1']);
    expect(ids(m.popularInCategory(null, 1))).toEqual(['s3']);
    expect(m.popularInCategory('unknown', 3)).toEqual([]);

    const fresh = m.personal('nobody', 2);
    expect(fresh.every((r) => r.strategy === 'trending')).toBe(true);
    expect(fresh).toHaveLength(2);

    // a subject whose items have no neighbours yet: popular in the categories of its last items
    m.record('lonely', 'b1', 'view', T + 3 * HOUR);
    const p = m.personal('lonely', 2);
    expect(p[0]).toMatchObject({ productId: 'b4', strategy: 'popular-in-category' });
    expect(p.every((r) => r.productId !== 'b1' || r.strategy !== 'personal')).toBe(true);

    // mixed lists: co-occurrence first, then the fill; each item says its strategy
    buy(m, 'u4', ['s1', 'b2'], T + 4 * HOUR);
    const mixed = m.similar('s1', 3);
    expect(mixed[0]).toMatchObject({ productId: 'b2', strategy: 'co-occurrence' });
    expect(mixed.slice(1).every((r) => r.strategy === 'popular-in-category')).toBe(true);
  });

  it('trending: a product rising now beats one that was steady for weeks', () => {
    const m = catalog({ trendingShortHalfLifeMs: DAY, trendingLongHalfLifeMs: 14 * DAY });
    for (let d = 0; d < 28; d++) for (let k = 0; k < 3; k++) m.record(`steady${d}-${k}`, 'b1', 'purchase', T + d * DAY + k * HOUR);
    for (let k = 0; k < 6; k++) m.record(`hot${k}`, 'b2', 'purchase', T + 27 * DAY + 10 * HOUR + k * HOUR);
    const tr = m.trending(2);
    expect(ids(tr)).toEqual(['b2', 'b1']);
    expect(tr.every((r) => r.strategy === 'trending')).toBe(true);
  });

  it('linkSubject: the session history becomes the customer’s', () => {
    const m = catalog();
    for (let u = 0; u < 4; u++) buy(m, `u${u}`, ['b1', 'b2'], T + u * HOUR);
    m.record('sess:1', 'b1', 'cart', T + DAY);
    m.record('sess:1', 's6', 'purchase', T + DAY + 1000);
    m.record('cust:1', 's5', 'view', T + DAY - HOUR);
    m.linkSubject('sess:1', 'cust:1');
    expect(m.hasSubject('sess:1')).toBe(false);
    expect(m.hasSubject('cust:1')).toBe(true);
    expect([...m.boughtBy('cust:1')]).toEqual(['s6']);
    expect(m.personal('cust:1', 1)[0]).toMatchObject({ productId: 'b2', strategy: 'personal' });
    // linking into a new subject, and an unknown one, are fine
    m.linkSubject('cust:1', 'cust:2');
    expect(m.personal('cust:2', 1)[0]).toMatchObject({ productId: 'b2', strategy: 'personal' });
    m.linkSubject('sess:none', 'cust:2');
    expect([...m.boughtBy('cust:2')]).toEqual(['s6']);
  });

  it('forget erases the subject: no history, no purchases, cold-start answers; aggregates stay', () => {
    const m = catalog();
    for (let u = 0; u < 4; u++) buy(m, `u${u}`, ['b1', 'b2'], T + u * HOUR);
    m.record('me', 'b1', 'purchase', T + DAY);
    const before = m.stats();
    expect(m.personal('me', 1)[0]!.strategy).toBe('personal');
    m.forget('me');
    expect(m.hasSubject('me')).toBe(false);
    expect(m.boughtBy('me').size).toBe(0);
    expect(m.personal('me', 3).every((r) => r.strategy === 'trending')).toBe(true);
    expect(m.personal('me', 3)).toEqual(m.personal('someone-else', 3));
    const after = m.stats();
    expect(after.subjects).toBe(before.subjects - 1);
    // documented: co-occurrence counts hold no identity and stay
    expect(after.pairs).toBe(before.pairs);
    expect(ids(m.similar('b1', 1))).toEqual(['b2']);
  });

  it('RankingSignals: a multiplier below 1 lowers an item (and above 1 raises it)', () => {
    const flagged = new Map<string, number>();
    const signals = { multiplier: (p: string) => flagged.get(p) ?? 1 };
    const m = catalog(undefined, signals);
    for (let u = 0; u < 5; u++) buy(m, `u${u}`, ['s1', 'b1'], T + u * HOUR);
    for (let u = 0; u < 3; u++) buy(m, `v${u}`, ['s1', 'b2'], T + u * HOUR);
    m.record('me', 's1', 'view', T + DAY);
    expect(ids(m.similar('s1', 2))).toEqual(['b1', 'b2']);
    expect(ids(m.personal('me', 2))).toEqual(['b1', 'b2']);
    flagged.set('b1', 0.1);
    expect(ids(m.similar('s1', 2))).toEqual(['b2', 'b1']);
    expect(ids(m.personal('me', 2))).toEqual(['b2', 'b1']);
    expect(ids(m.popularInCategory('bags', 2))).toEqual(['b2', 'b1']);
    flagged.set('b1', 0); // a multiplier of 0 removes it from every list
    expect(ids(m.similar('s1', 5))).not.toContain('b1');
    expect(ids(m.similar('b2', 10))).not.toContain('b1');
    expect(ids(m.popularInCategory('bags', 10))).not.toContain('b1');
    expect(ids(m.trending(10))).not.toContain('b1');
    expect(ids(m.personal('me', 10))).not.toContain('b1');
    m.record('x', 's3', 'view', T + DAY);
    expect(ids(m.popularInCategory('shoes', 1))).toEqual(['s1']);
    flagged.set('s3', 100);
    expect(ids(m.popularInCategory('shoes', 1))).toEqual(['s3']);
  });

  it('snapshot → JSON → restore gives identical answers, and both go on identically', () => {
    const m = catalog();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const products = ['s1', 's2', 's3', 's4', 's5', 's6', 'b1', 'b2', 'b3', 'b4'];
    const signals: Signal[] = ['view', 'click', 'cart', 'purchase'];
    const fact = (k: number) => [`u${Math.floor(rnd() * 12)}`, products[Math.floor(rnd() * products.length)]!, signals[Math.floor(rnd() * 4)]!, T + k * HOUR] as const;
    for (let k = 0; k < 400; k++) m.record(...fact(k));
    m.setVariantAvailable('s2-v', 0);
    m.setProductStatus('b3', 'ARCHIVED');
    const json = JSON.stringify(m.snapshot());
    const r = RecommendationModel.restore(JSON.parse(json));
    const answers = (x: RecommendationModel) =>
      [
        ...products.map((p) => x.similar(p, 5, { forSubject: 'u1' })),
        ...Array.from({ length: 13 }, (_, u) => x.personal(`u${u}`, 5)),
        x.popularInCategory('shoes', 5),
        x.popularInCategory(null, 5, { forSubject: 'u2' }),
        x.trending(5),
        [...x.boughtBy('u3')],
        x.stats(),
      ];
    expect(answers(r)).toEqual(answers(m));
    expect(JSON.stringify(r.snapshot())).toBe(json);
    for (let k = 400; k < 600; k++) {
      const f = fact(k);
      m.record(...f);
      r.record(...f);
    }
    expect(answers(r)).toEqual(answers(m));
  });

  it('is deterministic: ties break by productId', () => {
    const m = catalog();
    buy(m, 'u1', ['s1', 's4'], T);
    buy(m, 'u2', ['s1', 's2'], T);
    buy(m, 'u3', ['s1', 's3'], T);
    expect(ids(m.similar('s1', 3))).toEqual(['s2', 's3', 's4']);
    expect(ids(m.popularInCategory('bags', 4))).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('bounded state: recent items per subject and neighbours per item are capped', () => {
    const m = new RecommendationModel({ recentPerSubject: 5, maxNeighbours: 10 });
    for (let k = 0; k < 200; k++) m.record(`u${k % 7}`, `p${k % 60}`, 'view', T + k * 60_000);
    const snap = m.snapshot();
    expect(Math.max(...snap.subjects.map(([, flat]) => flat.length / 3))).toBeLessThanOrEqual(5);
    expect(Math.max(...snap.neighbours.map((n) => n.length / 2))).toBeLessThanOrEqual(10 + 8);
  });

  it('stays finite over years of facts (forward-decay rebasing)', () => {
    const m = catalog({ trendingShortHalfLifeMs: HOUR });
    for (let d = 0; d < 3 * 365; d += 5) buy(m, `u${d}`, ['s1', 's2'], T + d * DAY);
    const sim = m.similar('s1', 1);
    expect(ids(sim)).toEqual(['s2']);
    expect(Number.isFinite(sim[0]!.score) && sim[0]!.score > 0).toBe(true);
    expect(Number.isFinite(m.trending(1)[0]!.score)).toBe(true);
    const r = RecommendationModel.restore(JSON.parse(JSON.stringify(m.snapshot())));
    expect(r.similar('s1', 1)).toEqual(sim);
  });
});

describe('RecommendationModel at scale (informative, no assertion on time)', () => {
  it('similar and personal on 2k products / 10k subjects / 100k facts', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
    const m = new RecommendationModel();
    for (let p = 0; p < 2000; p++) m.setProduct(`p${p}`, { categoryIds: [`c${p % 20}`], variantIds: [], status: 'ACTIVE' });
    const signals: Signal[] = ['view', 'view', 'view', 'click', 'cart', 'purchase'];
    const t0 = performance.now();
    for (let k = 0; k < 100_000; k++) {
      const u = Math.floor(rnd() * 10_000);
      const cluster = u % 40;
      const p = rnd() < 0.7 ? cluster * 50 + Math.floor(rnd() * rnd() * 50) : Math.floor(rnd() * 2000);
      m.record(`u${u}`, `p${p}`, signals[Math.floor(rnd() * signals.length)]!, T + k * 40_000);
    }
    const recordMs = performance.now() - t0;
    const q = (f: () => unknown, n = 2000) => {
      const a = performance.now();
      for (let i = 0; i < n; i++) f();
      return (performance.now() - a) / n;
    };
    const sim = q(() => m.similar(`p${Math.floor(rnd() * 2000)}`, 10));
    const per = q(() => m.personal(`u${Math.floor(rnd() * 10_000)}`, 10));
    console.log(
      `model ${JSON.stringify(m.stats())}: record ${((recordMs * 1000) / 100_000).toFixed(1)} µs/fact, similar ${sim.toFixed(3)} ms, personal ${per.toFixed(3)} ms (first 10; the 10k/50k/1M run is in npm run eval:recs)`,
    );
    expect(m.personal('u1', 10)).toHaveLength(10);
  });
});
