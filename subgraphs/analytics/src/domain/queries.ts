import { currencyExponent, fail, ok, userError, type Result } from '@commerce/platform';
import {
  bucketStart,
  bucketsOverlapping,
  checkSeriesWindow,
  checkWindow,
  dayOfBucket,
  epochHour,
  epochMinute,
  trendingHours,
  uniqueSources,
  type Granularity,
} from './buckets.ts';
import { emptyCounts, emptyUniques, funnelRates, needsUniques, seriesValue, trendingScore, type SeriesMetric, type TopKind, type Uniques } from './counts.ts';
import type { AnalyticsDeps } from './deps.ts';
import type { Rollup, TopEntry } from './rollups.ts';

/**
 * The admin queries. Live buckets come from Redis; a bucket Redis no longer holds (older than
 * its TTL, or lost) is read from its rollup. Windows are `[from, to)`; every bad argument is a
 * userError the resolver turns into BAD_USER_INPUT.
 */
export const MAX_FIRST = 100;
/** products trending considers: the most viewed of the last hour */
export const TRENDING_CANDIDATES = 1000;

export interface SeriesArgs {
  metric: SeriesMetric;
  granularity: Granularity;
  from: number;
  to: number;
  currencyCode?: string | null;
}

export interface Point {
  at: Date;
  value: number;
}

/** The first bucket Redis still holds at `now`. */
export function redisHorizon(deps: Pick<AnalyticsDeps, 'retention'>, g: Granularity, now: number): number {
  return g === 'MINUTE' ? epochMinute(now - deps.retention.minuteSeconds * 1000) + 1 : epochHour(now - deps.retention.hourSeconds * 1000) + 1;
}

/** The rollups of these buckets, by bucket (read by day: equality reads). */
async function rollupsOf(deps: AnalyticsDeps, g: Granularity, buckets: readonly number[], include: { hll?: boolean; top?: boolean } = {}): Promise<Map<number, Rollup>> {
  if (buckets.length === 0) return new Map();
  const wanted = new Set(buckets);
  const days = [...new Set(buckets.map((b) => dayOfBucket(g, b)))];
  const rows = await deps.store.rollups(g, days, include);
  return new Map(rows.filter((r) => wanted.has(r._id)).map((r) => [r._id, r]));
}

export async function analyticsSeries(deps: AnalyticsDeps, args: SeriesArgs): Promise<Result<Point[]>> {
  const check = checkSeriesWindow(args.granularity, args.from, args.to);
  if (!check.ok) return fail(userError('INVALID_WINDOW', check.message, check.field));
  const currency = args.currencyCode ?? undefined;
  if (args.metric === 'REVENUE' && !currency) return fail(userError('CURRENCY_REQUIRED', 'REVENUE needs currencyCode', 'currencyCode'));
  if (currency && currencyExponent(currency) === undefined) return fail(userError('INVALID_CURRENCY', 'currencyCode: an ISO 4217 code, e.g. USD', 'currencyCode'));
  const g = args.granularity;
  const buckets = bucketsOverlapping(g, args.from, args.to);
  const withUniques = needsUniques(args.metric);
  const [live, liveUniques] = await Promise.all([deps.buckets.counts(g, buckets), withUniques ? deps.buckets.uniques(g, buckets) : Promise.resolve(null)]);
  const missing = buckets.filter((_, i) => live[i] === null);
  const rollups = await rollupsOf(deps, g, missing);
  return ok(
    buckets.map((b, i) => {
      const fromRedis = live[i];
      const rollup = fromRedis ? undefined : rollups.get(b);
      const counts = fromRedis ?? rollup?.counts ?? emptyCounts();
      const uniques: Uniques = (fromRedis ? liveUniques?.[i] : rollup?.uniques) ?? emptyUniques();
      return { at: new Date(bucketStart(g, b)), value: seriesValue(args.metric, counts, uniques, currency) };
    }),
  );
}

export interface Funnel extends Uniques {
  viewToCart: number | null;
  cartToOrder: number | null;
  viewToOrder: number | null;
}

/**
 * Distinct subjects (customer, else session or cart) that viewed a product, added to a cart and
 * ordered in the window: PFCOUNT over the union of its sketches (whole hours by their hour
 * sketch, the edges by minute; hours Redis no longer holds from their rollups' sketches).
 */
export async function analyticsFunnel(deps: AnalyticsDeps, from: number, to: number): Promise<Result<Funnel>> {
  const check = checkWindow(from, to);
  if (!check.ok) return fail(userError('INVALID_WINDOW', check.message, check.field));
  const now = deps.now();
  const sources = uniqueSources(from, to, redisHorizon(deps, 'MINUTE', now));
  const hourHorizon = redisHorizon(deps, 'HOUR', now);
  const old = sources.hours.filter((h) => h < hourHorizon);
  const extra = [...(await rollupsOf(deps, 'HOUR', old, { hll: true })).values()].map((r) => r.hll);
  const u = await deps.buckets.unionUniques({ minutes: sources.minutes, hours: sources.hours.filter((h) => h >= hourHorizon) }, extra);
  return ok({ ...u, ...funnelRates(u) });
}

const checkFirst = (first: number): Result<number> =>
  Number.isInteger(first) && first >= 1 && first <= MAX_FIRST ? ok(first) : fail(userError('INVALID_FIRST', `first: 1 to ${MAX_FIRST}`, 'first'));

/** The products most viewed, added to carts or bought (units) in the hours overlapping the window. */
export async function topProducts(deps: AnalyticsDeps, kind: TopKind, from: number, to: number, first: number): Promise<Result<TopEntry[]>> {
  const check = checkWindow(from, to);
  if (!check.ok) return fail(userError('INVALID_WINDOW', check.message, check.field));
  const n = checkFirst(first);
  if (!n.ok) return n;
  const hours = bucketsOverlapping('HOUR', from, to);
  const horizon = redisHorizon(deps, 'HOUR', deps.now());
  const old = hours.filter((h) => h < horizon);
  // hours Redis no longer holds: the top ROLLUP_TOP of each, summed
  const extra = new Map<string, number>();
  for (const r of (await rollupsOf(deps, 'HOUR', old, { top: true })).values()) for (const e of r.top?.[kind] ?? []) extra.set(e.id, (extra.get(e.id) ?? 0) + e.n);
  const live = hours.filter((h) => h >= horizon).map((hour) => ({ hour, weight: 1 }));
  const top = await deps.buckets.top(kind, live, [...extra].map(([id, n]) => ({ id, n })), n.value);
  return ok(top);
}

export interface Trending {
  productId: string;
  lastHour: number;
  baselinePerHour: number;
  score: number;
}

/**
 * Products viewed in the last 60 minutes against their own hourly baseline over the 24 hours
 * before: score = (lastHour + 1) / (baselinePerHour + 1). Candidates are the last hour's
 * TRENDING_CANDIDATES most viewed products.
 */
export async function trendingProducts(deps: AnalyticsDeps, first: number): Promise<Result<Trending[]>> {
  const n = checkFirst(first);
  if (!n.ok) return n;
  const t = trendingHours(deps.now());
  const recent = await deps.buckets.top(
    'v',
    [
      { hour: t.current, weight: 1 },
      { hour: t.previous, weight: t.previousWeight },
    ],
    [],
    TRENDING_CANDIDATES,
  );
  const baseline = await deps.buckets.scores(
    'v',
    t.baseline,
    recent.map((r) => r.id),
  );
  const rows = recent.map((r, i) => {
    const baselinePerHour = (baseline[i] ?? 0) / t.baseline.length;
    return { productId: r.id, lastHour: r.n, baselinePerHour, score: trendingScore(r.n, baselinePerHour) };
  });
  rows.sort((a, b) => b.score - a.score || b.lastHour - a.lastHour || a.productId.localeCompare(b.productId));
  return ok(rows.slice(0, n.value));
}
