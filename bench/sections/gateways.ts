import { isDeepStrictEqual } from 'node:util';
import { contractOperation } from '../../scripts/lib/contract.ts';
import type { Cluster, Proc } from '../lib/cluster.ts';
import { expectData, load, type LoadResult } from '../lib/load.ts';
import type { Row } from '../lib/report.ts';

export interface Gateways {
  ours: Proc;
  oursCached: Proc;
  plain: Proc;
  hive: Proc | null;
}

/**
 * Our router vs a plain @apollo/gateway + @apollo/server (and Hive Gateway when it runs) over the
 * same subgraphs: ProductListing(first: 20) and ProductPage, anonymous, 32 connections; our
 * router also with its response cache on.
 */
export async function benchGateways(cluster: Cluster, gw: Gateways, opts: { seconds: number }, notes: string[]): Promise<Row[]> {
  const listing = { query: contractOperation('ProductListing'), variables: { first: 20 } };
  const first = await expectData(gw.ours.url, listing);
  const handle = first.products.edges[0].node.handle as string;
  const page = { query: contractOperation('ProductPage'), variables: { handle } };
  // same answers from every gateway before anything is measured
  for (const g of [gw.plain, gw.oursCached, ...(gw.hive ? [gw.hive] : [])]) {
    for (const body of [listing, page]) {
      const [a, b] = await Promise.all([expectData(gw.ours.url, body), expectData(g.url, body)]);
      if (!isDeepStrictEqual(a, b)) throw new Error(`${g.name} answers ${JSON.stringify(body.variables)} differently from our router`);
    }
  }
  void cluster;
  const rows: Row[] = [];
  const C = 32;
  for (const [op, body] of [
    ['ProductListing(first: 20)', listing],
    ['ProductPage', page],
  ] as const) {
    const run = (p: Proc): Promise<LoadResult> => load(p.url, body, { connections: C, seconds: opts.seconds });
    const plain = await run(gw.plain);
    const ours = await run(gw.ours);
    const cached = await run(gw.oursCached);
    const hive = gw.hive ? await run(gw.hive) : null;
    for (const [name, r] of [['plain', plain], ['ours', ours], ['ours+cache', cached], ['hive', hive]] as const) {
      if (r && r.failures) notes.push(`${op} via ${name}: ${r.failures} failed requests of ${r.requests}`);
    }
    const isListing = op.startsWith('ProductListing');
    rows.push(
      { name: `router ${op} cache off`, metric: 'req/s', value: ours.rps, baseline: plain.rps, baselineName: 'plain @apollo/gateway', ...(isListing ? { target: { on: 'value' as const, op: '>=' as const, limit: 300 } } : {}) },
      { name: `router ${op} cache off`, metric: 'p50 ms', value: ours.p50, baseline: plain.p50, baselineName: 'plain @apollo/gateway' },
      { name: `router ${op} cache off`, metric: `p99 ms @${C}`, value: ours.p99, baseline: plain.p99, baselineName: 'plain @apollo/gateway', target: { on: 'value' as const, op: '<=' as const, limit: isListing ? 250 : 50 } },
      { name: `router ${op} cache on`, metric: 'req/s', value: cached.rps, baseline: ours.rps, baselineName: 'our router, cache off (miss)' },
      { name: `router ${op} cache on`, metric: `p99 ms @${C}`, value: cached.p99, baseline: ours.p99, baselineName: 'our router, cache off (miss)' },
      { name: `router ${op} cache on`, metric: 'req/s', value: cached.rps, baseline: plain.rps, baselineName: 'plain @apollo/gateway' },
    );
    if (hive) {
      rows.push(
        { name: `hive gateway ${op}`, metric: 'req/s', value: hive.rps, baseline: plain.rps, baselineName: 'plain @apollo/gateway' },
        { name: `router ${op} cache off`, metric: 'req/s', value: ours.rps, baseline: hive.rps, baselineName: 'Hive Gateway' },
      );
    }
  }
  return rows;
}
