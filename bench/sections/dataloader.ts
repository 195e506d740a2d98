import { contractOperation } from '../../scripts/lib/contract.ts';
import type { Cluster, Proc } from '../lib/cluster.ts';
import { expectData, load } from '../lib/load.ts';

export interface DataLoaderSample {
  queriesPerRequest: number;
  p50: number;
  p99: number;
  rps: number;
}

/** The collections a listing reads (background sweeps of outboxes, sagas and consumers are not counted). */
const LISTING_COLLECTIONS = /collection="(products|categories|stock_levels|product_ratings|reviews|variant_stock)"/;

/** Sum of `mongodb_commands_total{command="find"|"aggregate"}` on those collections over every subgraph. */
async function readQueries(cluster: Cluster): Promise<number> {
  let total = 0;
  for (const p of Object.values(cluster.subgraphs)) {
    const text = await (await fetch(`${p.origin}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('mongodb_commands_total{') && /command="(find|aggregate)"/.test(line) && LISTING_COLLECTIONS.test(line)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

/**
 * ProductListing(first: 20) through our router (cache off): database queries per request over
 * every subgraph (counted by the services' own command counters, N sequential requests), then
 * latency under 8 connections.
 */
export async function sampleDataLoader(cluster: Cluster, router: Proc, opts: { seconds: number; requests: number }): Promise<DataLoaderSample> {
  const body = { query: contractOperation('ProductListing'), variables: { first: 20 } };
  await expectData(router.url, body);
  const before = await readQueries(cluster);
  for (let i = 0; i < opts.requests; i++) await expectData(router.url, body);
  const queries = (await readQueries(cluster)) - before;
  const r = await load(router.url, body, { connections: 8, seconds: opts.seconds });
  return { queriesPerRequest: queries / opts.requests, p50: r.p50, p99: r.p99, rps: r.rps };
}
