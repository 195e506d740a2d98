import { randomBytes, randomUUID } from 'node:crypto';
import { OrderConfirmed } from '@commerce/events/contracts';
import type { EventBus } from '@commerce/events';
import { CONTEXT_HEADER, signInternalContext } from '@commerce/platform';
import { contractOperation } from '../../scripts/lib/contract.ts';
import type { Cluster, Proc } from '../lib/cluster.ts';
import { expectData, load, percentile } from '../lib/load.ts';
import type { Row } from '../lib/report.ts';

/**
 * Issue 11's performance targets, on the running cluster:
 * - `trackEvents` of 20 events through the router: events ingested per second at `clients`
 *   concurrent storefront clients, and how soon after a call its effect shows in analytics at
 *   that rate (marker calls during the load, polled until counted);
 * - `Product.recommendations(first: 10)` on the product page: p50 of ProductPage with and without it;
 * - model update lag: an order-confirmed event on the bus → the pair in `Product.recommendations`.
 */
export async function benchIntelligence(cluster: Cluster, router: Proc, bus: EventBus, opts: { seconds: number; clients: number; lagSamples: number }, say: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const listing = await expectData(router.url, { query: contractOperation('ProductListing'), variables: { first: 100 } });
  const products = listing.products.edges.map((e: any) => ({ id: e.node.id as string, handle: e.node.handle as string, variantId: e.node.variants[0].id as string }));
  if (products.length < 60) throw new Error('the intelligence bench needs at least 60 products');
  const adminContext = async () => ({ [CONTEXT_HEADER]: await signInternalContext(cluster.routerSigningKey, { user: { id: 'cust_bench_admin', roles: ['CUSTOMER', 'ADMIN'] }, requestId: `bench-${randomBytes(4).toString('hex')}` }, { audience: 'analytics' }) });
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const viewsOf = async (): Promise<Map<string, number>> => {
    const data = await expectData(cluster.subgraphUrls.analytics!, { query: 'query ($from: DateTime!, $to: DateTime!) { topProducts(by: VIEWS, from: $from, to: $to, first: 100) { productId count } }', variables: { from, to } }, await adminContext());
    return new Map(data.topProducts.map((p: any) => [p.productId as string, p.count as number]));
  };
  const track = async (sessionId: string, productId: string, n: number): Promise<number> => {
    const events = Array.from({ length: n }, () => ({ eventId: randomUUID(), sessionId, type: 'PRODUCT_VIEWED', productId }));
    const data = await expectData(router.url, { query: contractOperation('TrackEvents'), variables: { events } });
    if (data.trackEvents.userErrors.length) throw new Error(`trackEvents: ${JSON.stringify(data.trackEvents.userErrors)}`);
    return data.trackEvents.accepted as number;
  };

  // 1. ingest: `clients` storefronts sending batches of 20 views of one product; markers of other products measure visibility
  say(`intelligence: trackEvents ×20 through the router, ${opts.clients} clients for ${opts.seconds} s…`);
  const loadProduct = products[0]!.id;
  const before = (await viewsOf()).get(loadProduct) ?? 0;
  let accepted = 0;
  let calls = 0;
  const callLatencies: number[] = [];
  const deadline = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  const markerLags: number[] = [];
  const markers = (async () => {
    for (let i = 1; performance.now() < deadline - 500 && i < 40; i++) {
      const product = products[i]!.id;
      const sent = performance.now();
      await track(`bench-marker-${randomUUID()}`, product, 1);
      for (;;) {
        if (((await viewsOf()).get(product) ?? 0) >= 1) break;
        if (performance.now() - sent > 30_000) throw new Error('a tracked view did not reach analytics within 30 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      markerLags.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      const session = `bench-load-${c}-${randomUUID()}`;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const n = await track(session, loadProduct, 20); // (not `accepted += await …`: that adds to a stale value)
        accepted += n;
        callLatencies.push(performance.now() - t0);
        calls++;
      }
    }),
  );
  const ended = performance.now();
  await markers;
  const rate = accepted / ((ended - started) / 1000);
  // everything sent is counted, and how long after the last call
  let drained = NaN;
  for (;;) {
    const counted = ((await viewsOf()).get(loadProduct) ?? 0) - before;
    if (counted >= accepted) {
      drained = performance.now() - ended;
      if (counted !== accepted) throw new Error(`analytics counted ${counted} views, ${accepted} were sent`);
      break;
    }
    if (performance.now() - ended > 60_000) throw new Error(`analytics counted ${counted} of ${accepted} views a minute after the load`);
    await new Promise((r) => setTimeout(r, 50));
  }
  rows.push(
    { name: `trackEvents ×20 @${opts.clients} clients`, metric: 'events/s ingested', value: rate, baseline: 1000, baselineName: 'the target', target: { on: 'value', op: '>=', limit: 1000 } },
    { name: `trackEvents ×20 @${opts.clients} clients`, metric: 'call p50 ms', value: percentile(callLatencies, 50), baseline: percentile(callLatencies, 99), baselineName: 'call p99 ms', note: `${calls} calls` },
    { name: 'trackEvents → analytics during the load', metric: 'visible p99 ms', value: percentile(markerLags, 99), baseline: percentile(markerLags, 50), baselineName: 'p50', target: { on: 'value', op: '<=', limit: 2000 }, note: `${markerLags.length} marker calls` },
    { name: 'trackEvents → analytics after the load', metric: 'ms until all counted', value: drained, baseline: 2000, baselineName: 'the target', target: { on: 'value', op: '<=', limit: 2000 } },
  );

  // 2. the product page with and without its recommendations
  say('intelligence: ProductPage with and without recommendations(first: 10)…');
  const page = contractOperation('ProductPage');
  const withRecs = page.replace(/product\(handle: \$handle\) \{/, 'product(handle: $handle) {\n    recommendations(first: 10) { slot strategy recommendationId items { product { id } score strategy } }');
  if (withRecs === page) throw new Error('could not add recommendations to ProductPage');
  const handle = products[1]!.handle;
  await expectData(router.url, { query: withRecs, variables: { handle } });
  // interleaved (plain, with, plain, with) so that whatever else the machine still does falls on both alike
  const runs = { plain: [] as Awaited<ReturnType<typeof load>>[], recs: [] as Awaited<ReturnType<typeof load>>[] };
  for (let round = 0; round < 2; round++) {
    runs.plain.push(await load(router.url, { query: page, variables: { handle } }, { connections: 8, seconds: opts.seconds }));
    runs.recs.push(await load(router.url, { query: withRecs, variables: { handle } }, { connections: 8, seconds: opts.seconds }));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const plain = { p50: mean(runs.plain.map((r) => r.p50)), rps: mean(runs.plain.map((r) => r.rps)) };
  const recs = { p50: mean(runs.recs.map((r) => r.p50)), rps: mean(runs.recs.map((r) => r.rps)) };
  rows.push(
    { name: 'ProductPage + recommendations(first: 10) @8', metric: 'p50 ms added', value: recs.p50 - plain.p50, baseline: plain.p50, baselineName: 'ProductPage p50 ms', target: { on: 'value', op: '<=', limit: 5 }, note: 'mean of 2 interleaved runs each' },
    { name: 'ProductPage + recommendations(first: 10) @8', metric: 'req/s', value: recs.rps, baseline: plain.rps, baselineName: 'ProductPage without' },
  );

  // 3. model update lag: a purchase of a new pair → the pair in Product.recommendations
  say(`intelligence: model update lag, ${opts.lagSamples} purchases of new pairs…`);
  const lags: number[] = [];
  const pairs = products.slice(40);
  const recsQuery = contractOperation('ProductRecommendations');
  for (let i = 0; i + 1 < pairs.length && lags.length < opts.lagSamples; i += 2) {
    const [p, q] = [pairs[i]!, pairs[i + 1]!];
    const orderId = `ord_bench${randomBytes(8).toString('hex')}`;
    const line = (x: { id: string; variantId: string }) => ({ productId: x.id, variantId: x.variantId, sku: x.variantId, title: 'Bench', quantity: 1, unitPrice: { amount: 1000, currencyCode: 'USD' } });
    const sent = performance.now();
    await bus.publish(OrderConfirmed.create({ orderId, customerId: `cust_bench${i}`, lines: [line(p), line(q)], total: { amount: 2000, currencyCode: 'USD' }, confirmedAt: new Date().toISOString() }, { aggregateId: orderId }));
    for (;;) {
      const data = await expectData(router.url, { query: recsQuery, variables: { id: p.id, first: 10 } });
      if (data.product.recommendations.items.some((it: any) => it.product.id === q.id && it.strategy === 'co-occurrence')) break;
      if (performance.now() - sent > 30_000) throw new Error('a purchase did not reach the recommendations within 30 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    lags.push(performance.now() - sent);
  }
  rows.push({ name: 'purchase → Product.recommendations', metric: 'lag p99 ms', value: percentile(lags, 99), baseline: percentile(lags, 50), baselineName: 'p50', target: { on: 'value', op: '<=', limit: 2000 }, note: `${lags.length} purchases` });
  return rows;
}
