import { describe, expect, it } from 'vitest';
import { Bandit, posterior, sampleBeta, seededRng } from '../src/domain/bandit.ts';
import type { Strategy } from '../src/domain/model.ts';

const HOME: Strategy[] = ['personal', 'popular-in-category', 'trending'];

/** Runs `rounds` lists on one slot: the bandit picks, the simulated shopper clicks with the arm's true rate. */
function simulate(bandit: Bandit, rates: Partial<Record<Strategy, number>>, rounds: number, seed: number): Strategy[] {
  const choose = seededRng(seed);
  const shopper = seededRng(seed + 1);
  const picks: Strategy[] = [];
  for (let n = 0; n < rounds; n++) {
    const s = bandit.chooseStrategy('home', HOME, choose);
    picks.push(s);
    bandit.recordImpression('home', s);
    if (shopper() < (rates[s] ?? 0)) bandit.recordClick('home', s);
  }
  return picks;
}

describe('the bandit (Thompson sampling over strategies)', () => {
  it('the posterior is Beta(clicks + 1, impressions − clicks + 1)', () => {
    expect(posterior({ impressions: 0, clicks: 0 })).toEqual({ alpha: 1, beta: 1 });
    expect(posterior({ impressions: 100, clicks: 30 })).toEqual({ alpha: 31, beta: 71 });
    // clicks reported without their impression never make beta < 1
    expect(posterior({ impressions: 2, clicks: 5 })).toEqual({ alpha: 6, beta: 1 });
  });

  it('samples Beta with the right mean', () => {
    const rng = seededRng(3);
    for (const [a, b] of [[1, 1], [31, 71], [0.5, 2], [200, 5]] as const) {
      let sum = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        const x = sampleBeta(a, b, rng);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        sum += x;
      }
      expect(sum / n).toBeCloseTo(a / (a + b), 2);
    }
  });

  it('gives most of the traffic to the strategy that is clicked most, after enough feedback', () => {
    const bandit = new Bandit();
    const picks = simulate(bandit, { personal: 0.3, 'popular-in-category': 0.05, trending: 0.1 }, 3000, 11);
    const late = picks.slice(-1000);
    const share = (s: Strategy) => late.filter((p) => p === s).length / late.length;
    expect(share('personal')).toBeGreaterThan(0.85);
    // the others are still tried now and then (early on they all were)
    const early = picks.slice(0, 60);
    for (const s of HOME) expect(early).toContain(s);
    const stats = bandit.stats();
    const personal = stats.find((a) => a.slot === 'home' && a.strategy === 'personal')!;
    expect(personal.impressions).toBe(picks.filter((p) => p === 'personal').length);
    expect(personal.ctr).toBeCloseTo(0.3, 1);
    expect(personal.shareOfTraffic).toBeCloseTo(personal.choices / 3000, 10);
    expect(stats.reduce((s, a) => s + a.shareOfTraffic, 0)).toBeCloseTo(1, 10);
  });

  it('moves the traffic when the click rates change', () => {
    const bandit = new Bandit();
    simulate(bandit, { trending: 0.3, personal: 0.05 }, 1500, 5);
    const after = simulate(bandit, { trending: 0.01, personal: 0.4 }, 4000, 6).slice(-1000);
    expect(after.filter((p) => p === 'personal').length).toBeGreaterThan(700);
  });

  it('is deterministic with a seeded random source', () => {
    const a = simulate(new Bandit(), { personal: 0.2, trending: 0.2 }, 500, 42);
    const b = simulate(new Bandit(), { personal: 0.2, trending: 0.2 }, 500, 42);
    const c = simulate(new Bandit(), { personal: 0.2, trending: 0.2 }, 500, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('chooses only among the eligible strategies, keeps slots apart, and survives a snapshot', () => {
    const bandit = new Bandit();
    const rng = seededRng(1);
    for (let i = 0; i < 50; i++) expect(bandit.chooseStrategy('home', ['trending'], rng)).toBe('trending');
    for (let i = 0; i < 50; i++) expect(['personal', 'trending']).toContain(bandit.chooseStrategy('home', ['personal', 'trending'], rng));
    expect(() => bandit.chooseStrategy('home', [], rng)).toThrow(RangeError);
    bandit.recordImpression('home', 'trending', 10);
    bandit.recordClick('home', 'trending');
    bandit.recordImpression('product-page', 'co-occurrence', 4);
    const restored = Bandit.restore(JSON.parse(JSON.stringify(bandit.snapshot())));
    expect(restored.armCounts('home', 'trending')).toEqual({ impressions: 10, clicks: 1 });
    expect(restored.armCounts('product-page', 'co-occurrence')).toEqual({ impressions: 4, clicks: 0 });
    expect(restored.armCounts('home', 'personal')).toEqual({ impressions: 0, clicks: 0 });
    // choices are the instance's own: not carried by the snapshot
    expect(restored.stats().every((a) => a.choices === 0)).toBe(true);
    // known arms are listed with zeros
    expect(new Bandit().stats([{ slot: 'home', strategy: 'personal' }])).toEqual([
      { slot: 'home', strategy: 'personal', impressions: 0, clicks: 0, ctr: 0, alpha: 1, beta: 1, choices: 0, shareOfTraffic: 0 },
    ]);
  });
});
