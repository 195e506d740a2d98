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
 *   concurrent storefront clients going as fast as they can, and how soon after a call its effect
 *   shows in analytics (marker calls during the load, polled until counted) — at that ingest rate,
 *   and at the target's 1,000 events/s (the same clients, paced);
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

  // 1. ingest: `clients` storefronts sending batches of 20 views of one product, as fast as they
  // can (the ingest rate), then paced at the target rate (1,000 events/s); during each, marker
  // calls of other products measure how soon a view shows in analytics
  const loadProduct = products[0]!.id;
  let nextMarker = 1;
  /** one view of a product no other call touches, polled until analytics counts it; ms */
  const markersDuring = async (deadline: number): Promise<number[]> => {
    const lags: number[] = [];
    while (performance.now() < deadline - 500 && nextMarker < 40) {
      const product = products[nextMarker++]!.id;
      const sent = performance.now();
      await track(`bench-marker-${randomUUID()}`, product, 1);
      for (;;) {
        if (((await viewsOf()).get(product) ?? 0) >= 1) break;
        if (performance.now() - sent > 30_000) throw new Error('a tracked view did not reach analytics within 30 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      lags.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 250));
    }
    return lags;
  };
  /** `clients` storefronts for `seconds`; `callsPerSecond` paces them in total (undefined: as fast as they can) */
  const ingest = async (callsPerSecond?: number) => {
    let accepted = 0;
    let calls = 0;
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + opts.seconds * 1000;
    const markers = markersDuring(deadline);
    await Promise.all(
      Array.from({ length: opts.clients }, async (_, c) => {
        const session = `bench-load-${c}-${randomUUID()}`;
        const every = callsPerSecond ? (opts.clients / callsPerSecond) * 1000 : 0;
        let due = started + (every * c) / opts.clients;
        while (performance.now() < deadline) {
          if (every) {
            const wait = due - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            due += every;
            if (performance.now() >= deadline) break;
          }
          const t0 = performance.now();
          const n = await track(session, loadProduct, 20); // (not `accepted += await …`: that adds to a stale value)
          accepted += n;
          latencies.push(performance.now() - t0);
          calls++;
        }
      }),
    );
    const ended = performance.now();
    return { accepted, calls, latencies, ended, rate: accepted / ((ended - started) / 1000), markerLags: await markers };
  };
  /** every view sent is counted, exactly: ms after the load ended until it was */
  const drain = async (before: number, accepted: number, ended: number): Promise<number> => {
    for (;;) {
      const counted = ((await viewsOf()).get(loadProduct) ?? 0) - before;
      if (counted >= accepted) {
        if (counted !== accepted) throw new Error(`analytics counted ${counted} views, ${accepted} were sent`);
        return performance.now() - ended;
      }
      if (performance.now() - ended > 60_000) throw new Error(`analytics counted ${counted} of ${accepted} views a minute after the load`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  say(`intelligence: trackEvents ×20 through the router, ${opts.clients} clients for ${opts.seconds} s, as fast as they go…`);
  let before = (await viewsOf()).get(loadProduct) ?? 0;
  const full = await ingest();
  const fullDrained = await drain(before, full.accepted, full.ended);
  say(`intelligence: trackEvents ×20 paced at 1,000 events/s for ${opts.seconds} s…`);
  before = (await viewsOf()).get(loadProduct) ?? 0;
  const paced = await ingest(50);
  const pacedDrained = await drain(before, paced.accepted, paced.ended);
  rows.push(
    { name: `trackEvents ×20 @${opts.clients} clients`, metric: 'events/s ingested', value: full.rate, baseline: 1000, baselineName: 'the target', target: { on: 'value', op: '>=', limit: 1000 } },
    { name: `trackEvents ×20 @${opts.clients} clients`, metric: 'call p50 ms', value: percentile(full.latencies, 50), baseline: percentile(full.latencies, 99), baselineName: 'call p99 ms', note: `${full.calls} calls` },
    { name: 'trackEvents → analytics, at the ingest rate', metric: 'visible p99 ms', value: percentile(full.markerLags, 99), baseline: percentile(full.markerLags, 50), baselineName: 'p50', note: `${full.markerLags.length} marker calls while ${full.rate.toFixed(0)} events/s went in; all counted ${fullDrained.toFixed(0)} ms after the load` },
    { name: 'trackEvents → analytics, at 1,000 events/s', metric: 'visible p99 ms', value: percentile(paced.markerLags, 99), baseline: percentile(paced.markerLags, 50), baselineName: 'p50', target: { on: 'value', op: '<=', limit: 2000 }, note: `${paced.markerLags.length} marker calls; ${paced.rate.toFixed(0)} events/s sent` },
    { name: 'trackEvents → analytics, at 1,000 events/s', metric: 'ms until all counted', value: pacedDrained, baseline: 2000, baselineName: 'the target', target: { on: 'value', op: '<=', limit: 2000 } },
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
  for (let round = 0; round < 3; round++) {
    runs.plain.push(await load(router.url, { query: page, variables: { handle } }, { connections: 8, seconds: opts.seconds }));
    runs.recs.push(await load(router.url, { query: withRecs, variables: { handle } }, { connections: 8, seconds: opts.seconds }));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const plain = { p50: mean(runs.plain.map((r) => r.p50)), rps: mean(runs.plain.map((r) => r.rps)) };
  const recs = { p50: mean(runs.recs.map((r) => r.p50)), rps: mean(runs.recs.map((r) => r.rps)) };
  rows.push(
    { name: 'ProductPage + recommendations(first: 10) @8', metric: 'p50 ms added', value: recs.p50 - plain.p50, baseline: plain.p50, baselineName: 'ProductPage p50 ms', target: { on: 'value', op: '<=', limit: 5 }, note: 'mean of 3 interleaved runs each' },
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
