import { currencyExponent } from '@commerce/platform';

/**
 * What one time bucket holds, and the figures derived from it. Pure.
 *
 * In Redis a bucket is a hash (fields below, revenue as `revenue:<CUR>` in minor units); in the
 * rollups it is this object.
 */
export interface Counts {
  views: number;
  searches: number;
  addToCarts: number;
  /** confirmed orders */
  orders: number;
  /** cancelled orders (every order-cancelled; revenue is not taken back) */
  cancelled: number;
  /** units bought (order lines' quantities) */
  purchases: number;
  /** recommendation lists shown */
  recImpressions: number;
  recClicks: number;
  /** reviews written (review-added) */
  reviews: number;
  /** confirmed orders' totals, minor units per currency */
  revenue: Record<string, number>;
}

/** The hash fields of the plain counters (revenue fields are `revenue:<CUR>`). */
export const COUNTER_FIELDS = ['views', 'searches', 'addToCarts', 'orders', 'cancelled', 'purchases', 'recImpressions', 'recClicks', 'reviews'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export const REVENUE_FIELD_PREFIX = 'revenue:';

/** The distinct subjects (customer, else session or cart) of a bucket: the funnel's stages. */
export interface Uniques {
  viewed: number;
  addedToCart: number;
  ordered: number;
}

/** The HyperLogLogs: v = viewed a product, c = added to a cart, o = ordered. */
export const UNIQUE_KINDS = { viewed: 'v', addedToCart: 'c', ordered: 'o' } as const;
export type UniqueKind = (typeof UNIQUE_KINDS)[keyof typeof UNIQUE_KINDS];

/** The per-hour sorted sets of products: v = views, c = add-to-carts, p = units purchased. */
export type TopKind = 'v' | 'c' | 'p';
export const TOP_KINDS: TopKind[] = ['v', 'c', 'p'];

export const emptyCounts = (): Counts => ({ views: 0, searches: 0, addToCarts: 0, orders: 0, cancelled: 0, purchases: 0, recImpressions: 0, recClicks: 0, reviews: 0, revenue: {} });
export const emptyUniques = (): Uniques => ({ viewed: 0, addedToCart: 0, ordered: 0 });

/** A Redis hash (HGETALL) as counts; unknown fields are ignored. */
export function countsFromHash(hash: Record<string, string>): Counts {
  const c = emptyCounts();
  for (const [field, raw] of Object.entries(hash)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) continue;
    if (field.startsWith(REVENUE_FIELD_PREFIX)) c.revenue[field.slice(REVENUE_FIELD_PREFIX.length)] = n;
    else if ((COUNTER_FIELDS as readonly string[]).includes(field)) c[field as CounterField] = n;
  }
  return c;
}

/** Counts as hash fields (for restoring a bucket into Redis); zero fields are left out. */
export function countsToHash(c: Counts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of COUNTER_FIELDS) if (c[f]) out[f] = String(c[f]);
  for (const [cur, n] of Object.entries(c.revenue)) if (n) out[`${REVENUE_FIELD_PREFIX}${cur}`] = String(n);
  return out;
}

export type SeriesMetric = 'VIEWS' | 'SEARCHES' | 'ADD_TO_CARTS' | 'ORDERS' | 'CANCELLATIONS' | 'REVIEWS' | 'REVENUE' | 'CONVERSION' | 'RECOMMENDATION_CTR';

/** A ratio, or 0 when nothing was there to convert (a point always has a value). */
const ratio = (n: number, d: number): number => (d > 0 ? n / d : 0);

/**
 * One point's value: counts as they are; REVENUE in major units of `currency` (a Float on an
 * analytics chart, never used as money); CONVERSION = distinct subjects that ordered / that
 * viewed; RECOMMENDATION_CTR = clicks / lists shown.
 */
export function seriesValue(metric: SeriesMetric, c: Counts, u: Uniques, currency?: string): number {
  switch (metric) {
    case 'VIEWS':
      return c.views;
    case 'SEARCHES':
      return c.searches;
    case 'ADD_TO_CARTS':
      return c.addToCarts;
    case 'ORDERS':
      return c.orders;
    case 'CANCELLATIONS':
      return c.cancelled;
    case 'REVIEWS':
      return c.reviews ?? 0; // rollups written before reviews were counted have no field
    case 'REVENUE': {
      if (!currency) return 0;
      const minor = c.revenue[currency] ?? 0;
      return minor / 10 ** (currencyExponent(currency) ?? 2);
    }
    case 'CONVERSION':
      return ratio(u.ordered, u.viewed);
    case 'RECOMMENDATION_CTR':
      return ratio(c.recClicks, c.recImpressions);
  }
}

/** Whether a metric needs the buckets' distinct-subject counts (HyperLogLogs). */
export const needsUniques = (metric: SeriesMetric): boolean => metric === 'CONVERSION';

/** A funnel's rates: each stage over the one before (or the first); null when the base is 0. */
export function funnelRates(u: Uniques): { viewToCart: number | null; cartToOrder: number | null; viewToOrder: number | null } {
  const r = (n: number, d: number) => (d > 0 ? n / d : null);
  return { viewToCart: r(u.addedToCart, u.viewed), cartToOrder: r(u.ordered, u.addedToCart), viewToOrder: r(u.ordered, u.viewed) };
}

/** Trending: the last hour's views against the product's own hourly baseline, smoothed (+1). */
export function trendingScore(lastHour: number, baselinePerHour: number): number {
  return (lastHour + 1) / (baselinePerHour + 1);
}
