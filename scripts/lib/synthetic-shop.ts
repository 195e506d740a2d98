/**
 * A deterministic synthetic shop for the offline evaluation of recommendations (npm run eval:recs).
 *
 * What is planted, and why each part is there:
 * - taste clusters: products belong to clusters (a style, a hobby) that cut across 2–3 of the
 *   catalog's categories; each shopper prefers 1–2 clusters. This is the signal a personal model
 *   should find, and one a category-only view of the catalog only half sees.
 * - popularity skew: clusters differ in size of audience (Zipf), items inside a cluster differ in
 *   appeal (Zipf), and a handful of blockbusters are bought by shoppers of every taste. So "most
 *   purchased" is a serious baseline, as it is in real shops.
 * - noise: a share of sessions is exploration of a random cluster, and many views never lead to a
 *   cart.
 * - drift: a share of shoppers replaces one preferred cluster by another at a random moment.
 * - time: shoppers arrive over the period (new shoppers have no history), products launch over the
 *   period, and shoppers rarely buy the same product twice.
 *
 * Nothing in the generator knows about the model; it emits events only (views, clicks, carts,
 * purchases), as a storefront would.
 */
import { seededRandom } from '@commerce/platform';
import type { Signal } from '../../subgraphs/recommendations/src/domain/model.ts';

export const DAY = 86_400_000;

/** The seeded PRNG (@commerce/platform's seededRandom). */
export const mulberry32 = seededRandom;

export interface ShopParams {
  seed: number;
  products: number;
  categories: number;
  clusters: number;
  shoppers: number;
  days: number;
  /** products everyone may buy */
  blockbusters: number;
  /** share of sessions spent on the blockbusters / front page */
  blockbusterSessionShare: number;
  /** share of sessions exploring a cluster the shopper doesn't prefer */
  exploreShare: number;
  /** share of shoppers who replace one preferred cluster mid-period */
  driftShare: number;
  /** mean sessions per shopper over the period (heavy-tailed) */
  meanSessions: number;
  /** share of products launched during the period (the rest exist at the start) */
  launchedShare: number;
  /** start of the period, epoch ms */
  start: number;
}

export const DEFAULT_SHOP: ShopParams = {
  seed: 20_261_205,
  products: 2000,
  categories: 20,
  clusters: 40,
  shoppers: 3000,
  days: 60,
  blockbusters: 20,
  blockbusterSessionShare: 0.2,
  exploreShare: 0.15,
  driftShare: 0.3,
  meanSessions: 8,
  launchedShare: 0.15,
  start: Date.UTC(2026, 9, 1),
};

export interface ShopProduct {
  id: string;
  categoryIds: string[];
  /** -1 for blockbusters */
  cluster: number;
  launchedAt: number;
}

export interface ShopEvent {
  subject: string;
  productId: string;
  type: Signal;
  at: number;
}

export interface SyntheticShop {
  params: ShopParams;
  products: ShopProduct[];
  /** sorted by time */
  events: ShopEvent[];
  end: number;
}

/** index drawn with probability proportional to weights (cumulative array) */
function pick(cum: number[], r: number): number {
  const x = r * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulative(ws: number[]): number[] {
  const out: number[] = [];
  let s = 0;
  for (const w of ws) out.push((s += w));
  return out;
}

export function generateShop(overrides: Partial<ShopParams> = {}): SyntheticShop {
  const P: ShopParams = { ...DEFAULT_SHOP, ...overrides };
  const rnd = mulberry32(P.seed);
  const end = P.start + P.days * DAY;
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const catId = (c: number): string => `cat-${pad(c, 2)}`;

  // clusters: 2–3 home categories each, audience ~ Zipf
  const clusterCats: number[][] = [];
  for (let c = 0; c < P.clusters; c++) {
    const k = rnd() < 0.5 ? 2 : 3;
    const cs = new Set<number>();
    while (cs.size < k) cs.add(Math.floor(rnd() * P.categories));
    clusterCats.push([...cs]);
  }
  const clusterAudience = cumulative(Array.from({ length: P.clusters }, (_, c) => 1 / Math.pow(c + 1, 0.7)));

  // products: blockbusters first, then cluster members round robin; appeal ~ Zipf in its group
  const products: ShopProduct[] = [];
  const members: number[][] = Array.from({ length: P.clusters }, () => []);
  const blockbusters: number[] = [];
  for (let i = 0; i < P.products; i++) {
    const id = `p-${pad(i, 5)}`;
    const launched = i >= P.blockbusters && rnd() < P.launchedShare;
    const launchedAt = launched ? P.start + Math.floor(rnd() * P.days * DAY) : P.start;
    if (i < P.blockbusters) {
      products.push({ id, categoryIds: [catId(Math.floor(rnd() * P.categories))], cluster: -1, launchedAt });
      blockbusters.push(i);
    } else {
      const c = (i - P.blockbusters) % P.clusters;
      const cats = clusterCats[c] as number[];
      // mostly one home category, sometimes two
      const primary = cats[Math.floor(rnd() * cats.length)] as number;
      const categoryIds = [catId(primary)];
      if (rnd() < 0.15) {
        const other = cats[Math.floor(rnd() * cats.length)] as number;
        if (other !== primary) categoryIds.push(catId(other));
      }
      products.push({ id, categoryIds, cluster: c, launchedAt });
      (members[c] as number[]).push(i);
    }
  }
  // appeal: Zipf over a random order inside each group
  const appeal = new Float64Array(P.products);
  const shuffle = (xs: number[]): number[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j] as number, a[i] as number];
    }
    return a;
  };
  shuffle(blockbusters).forEach((p, r) => (appeal[p] = 1 / Math.pow(r + 1, 0.6)));
  for (const m of members) shuffle(m).forEach((p, r) => (appeal[p] = 1 / Math.pow(r + 1, 0.9)));

  const events: ShopEvent[] = [];
  for (let u = 0; u < P.shoppers; u++) {
    const subject = `u-${pad(u, 5)}`;
    const prefs: number[] = [pick(clusterAudience, rnd())];
    if (rnd() < 0.5) {
      const second = pick(clusterAudience, rnd());
      if (second !== prefs[0]) prefs.push(second);
    }
    const drifts = rnd() < P.driftShare;
    const driftAt = P.start + (0.25 + 0.65 * rnd()) * P.days * DAY;
    const driftTo = pick(clusterAudience, rnd());
    // shoppers arrive over the period; activity is heavy-tailed (lognormal)
    const arrival = rnd() < 0.6 ? P.start : P.start + rnd() * 0.85 * P.days * DAY;
    const gauss = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const sessions = Math.max(1, Math.round(P.meanSessions * Math.exp(0.8 * gauss - 0.32) * ((end - arrival) / (end - P.start))));
    const times = Array.from({ length: sessions }, () => arrival + rnd() * (end - arrival)).sort((a, b) => a - b);
    const bought = new Set<number>();
    for (const t0 of times) {
      const current = drifts && t0 >= driftAt ? [driftTo, ...prefs.slice(1)] : prefs;
      const r = rnd();
      let pool: number[];
      if (r < P.blockbusterSessionShare) pool = blockbusters;
      else if (r < P.blockbusterSessionShare + P.exploreShare) pool = members[pick(clusterAudience, rnd())] as number[];
      else pool = members[current.length > 1 && rnd() < 0.4 ? (current[1] as number) : (current[0] as number)] as number[];
      const live = pool.filter((p) => (products[p] as ShopProduct).launchedAt <= t0);
      if (!live.length) continue;
      const cum = cumulative(live.map((p) => (appeal[p] as number) * (bought.has(p) ? 0.05 : 1)));
      const views = 2 + Math.floor(rnd() * 6);
      let t = t0;
      const seen: number[] = [];
      for (let v = 0; v < views; v++) {
        const p = live[pick(cum, rnd())] as number;
        t += 20_000 + rnd() * 120_000;
        events.push({ subject, productId: (products[p] as ShopProduct).id, type: rnd() < 0.1 ? 'click' : 'view', at: Math.round(t) });
        if (!seen.includes(p)) seen.push(p);
      }
      for (const p of seen) {
        // appealing items are carted more often; most views lead nowhere
        if (rnd() >= 0.12 + 0.25 * (appeal[p] as number)) continue;
        t += 10_000 + rnd() * 60_000;
        events.push({ subject, productId: (products[p] as ShopProduct).id, type: 'cart', at: Math.round(t) });
        if (rnd() < 0.6) {
          t += 30_000 + rnd() * 300_000;
          events.push({ subject, productId: (products[p] as ShopProduct).id, type: 'purchase', at: Math.round(t) });
          bought.add(p);
        }
      }
    }
  }
  events.sort((a, b) => a.at - b.at || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return { params: P, products, events, end };
}
