import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus } from '@commerce/events';
import { deleteRedisKeys, serviceEnv, testInfra, uniqueSuffix, waitQuiet } from '@commerce/testing';

export { deleteRedisKeys };
import type { AnalyticsService } from '../src/index.ts';

export const TRACK = `mutation TrackEvents($events: [InteractionInput!]!) { trackEvents(events: $events) { accepted userErrors { field message code } } }`;
export const SERIES = `query AnalyticsSeries($metric: AnalyticsMetric!, $granularity: Granularity!, $from: DateTime!, $to: DateTime!, $currencyCode: String) {
  analyticsSeries(metric: $metric, granularity: $granularity, from: $from, to: $to, currencyCode: $currencyCode) { at value } }`;
export const FUNNEL = `query AnalyticsFunnel($from: DateTime!, $to: DateTime!) { analyticsFunnel(from: $from, to: $to) { viewed addedToCart ordered viewToCart cartToOrder viewToOrder } }`;
export const TOP = `query TopProducts($by: ProductMetric!, $from: DateTime!, $to: DateTime!, $first: Int) { topProducts(by: $by, from: $from, to: $to, first: $first) { productId count product { id } } }`;
export const TRENDING = `query TrendingProducts($first: Int) { trendingProducts(first: $first) { productId lastHour baselinePerHour score product { id } } }`;
export const FORGET = `mutation ForgetMyActivity { forgetMyActivity { forgotten userErrors { field message code } } }`;

/**
 * The environment of one analytics instance under test: its own database (serviceEnv), its own
 * Redis key prefix (never the development platform's `an:`) and its own events namespace (no
 * other test file's, or another test run's, orders and carts reach its counts).
 */
export function analyticsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const id = uniqueSuffix();
  return serviceEnv('analytics', { ANALYTICS_REDIS_PREFIX: `t:an:${id}:`, EVENTS_NAMESPACE: `an${id}`, ANALYTICS_FLUSH_EVERY_MS: '1000', ...extra });
}

/**
 * Resolves once everything committed so far is published and every consumer of the service is
 * quiet (nothing pending, nothing unacknowledged) — never a fixed sleep.
 */
export async function quiet(svc: AnalyticsService, timeoutMs = 15_000): Promise<void> {
  await waitQuiet({ bus: svc.bus, durables: svc.consumers, dbs: [svc.db], timeoutMs });
}

/** Removes what a test instance left: its Redis keys, its stream (namespace) and its database. */
export async function cleanUp(env: NodeJS.ProcessEnv): Promise<void> {
  await deleteRedisKeys(env.ANALYTICS_REDIS_PREFIX!);
  const bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'analytics-test-cleanup', registry: new Registry(), consumerDefaults: { newConsumersFrom: 'new', namespace: env.EVENTS_NAMESPACE! } });
  await bus.jsm.streams.delete(bus.stream).catch(() => undefined);
  await bus.close();
  const client = new MongoClient(testInfra().mongoUrl);
  await client.db(env.ANALYTICS_DB_NAME).dropDatabase().catch(() => undefined);
  await client.close();
}

/** The value of a Prometheus sample in the service's /metrics with these labels among its own (0 when absent). */
export async function metric(svc: AnalyticsService, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(svc.url.replace('/graphql', '/metrics'))).text();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const own = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) return Number(m[3]);
  }
  return 0;
}

export const sum = (points: Array<{ value: number }>): number => points.reduce((a, p) => a + p.value, 0);
