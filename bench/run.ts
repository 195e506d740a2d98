/**
 * `npm run bench` (full, about 15 minutes with the 100k catalog seeded once) and
 * `npm run bench -- --quick` (under 3 minutes: shorter runs, catalog at 1k and 10k only).
 * Starts what it needs (infrastructure, every service as its own process: router 4100, subgraphs 4101…, the other gateways 4120–4122),
 * seeds data, measures side by side in the same run, prints a table and writes
 * bench/results/latest.md (a run of some sections only, `--only storage,events`, writes
 * bench/results/only-<sections>.md instead). Sections: storage, gateways, dataloader, catalog,
 * checkout, intelligence, identity, events.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus } from '@commerce/events';
import { ensureInfrastructure } from '@commerce/infra';
import { contractOperation } from '../scripts/lib/contract.ts';
import { listSubgraphs, ROOT } from '../scripts/lib/subgraphs.ts';
import { spawnProcess, startCluster, waitQuiet, BENCH_REDIS_PREFIX, BENCH_ROUTER_PORT, type Cluster, type Proc } from './lib/cluster.ts';
import { expectData } from './lib/load.ts';
import { ensureCatalogDatabase } from './lib/seed-catalog.ts';
import { markdown, table, type Row } from './lib/report.ts';
import { hiveGatewayAvailable } from './gateways/hive.ts';
import { benchGateways } from './sections/gateways.ts';
import { sampleDataLoader } from './sections/dataloader.ts';
import { sampleCatalog, type ScaleSample } from './sections/catalog-scale.ts';
import { sampleCheckout, stockUp, type CheckoutSample } from './sections/checkout.ts';
import { sampleEvents } from './sections/events.ts';
import { benchIntelligence } from './sections/intelligence.ts';
import { benchIdentity } from './sections/identity.ts';
import { createRedis, deleteKeysByPrefix } from '@commerce/platform';
import { sampleStorage } from './sections/storage.ts';
import { commandsSent, dbCost, dbCpuMs } from './lib/db-cost.ts';
import { storageBackend } from '@commerce/storage';
import { cpus } from 'node:os';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const ALL_SECTIONS = ['storage', 'gateways', 'dataloader', 'catalog', 'checkout', 'intelligence', 'identity', 'events'];
const sections = new Set((onlyArg ?? ALL_SECTIONS.join(',')).split(','));
for (const s of sections) if (!ALL_SECTIONS.includes(s)) throw new Error(`unknown bench section "${s}" (sections: ${ALL_SECTIONS.join(', ')})`);
const say = (s: string) => console.log(`[bench] ${s}`);
const run = Date.now().toString(36);
const SECONDS = quick ? 2 : 10;

const rows: Row[] = [];
const notes: string[] = [];
const started = Date.now();
const infra = await ensureInfrastructure({ log: (l) => say(l) });
const mongo = new MongoClient(infra.mongoUrl);
const backend = await storageBackend(mongo.db('admin'));
{
  // the bench namespace is the bench's own: start from an empty stream, so new consumers do not
  // replay the orders of earlier runs before this run's
  const bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'bench-setup', registry: new Registry(), consumerDefaults: { newConsumersFrom: 'new', namespace: 'bench' } });
  await bus.jsm.streams.purge(bus.stream);
  await bus.close();
}
let cluster: Cluster | undefined;
const procs: Proc[] = [];

async function stopAll(): Promise<void> {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
  await cluster?.stop();
  cluster = undefined;
}

async function dropRunDatabases(): Promise<void> {
  const { databases } = await mongo.db('admin').admin().listDatabases();
  for (const d of databases) if (d.name.startsWith('bench_') && d.name.endsWith(`_${run}`)) await mongo.db(d.name).dropDatabase();
}

/** What analytics counted in Redis during this run. */
async function deleteRunRedisKeys(): Promise<void> {
  const redis = createRedis(infra.redisUrl);
  try {
    await deleteKeysByPrefix(redis, `${BENCH_REDIS_PREFIX}${run}:`);
  } finally {
    redis.disconnect();
  }
}

async function startMain(): Promise<Cluster> {
  // seeded through the outbox like any catalog, so the cart learns the products from the events
  return startCluster({ infra, dbSuffix: run, seedProducts: 1000 });
}

try {
  if (sections.has('storage')) {
    const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    const sample = await sampleStorage(infra, { sizes, iterations: quick ? 100 : 300, dbName: `bench_storage_${run}`, say });
    const base = sizes[0]!;
    for (const [op, bySize] of sample.results) {
      for (const size of sizes.slice(1)) {
        const big = size === sizes[sizes.length - 1];
        rows.push({
          name: `storage ${op} @${size / 1000}k docs`,
          metric: 'p50 ms',
          value: bySize.get(size)!.p50,
          baseline: bySize.get(base)!.p50,
          baselineName: `${base / 1000}k docs`,
          ...(big && size >= 100_000 ? { target: { on: 'ratio' as const, op: '<=' as const, limit: 1.5 } } : {}),
        });
      }
    }
    notes.push(`storage: ${sample.backend}, one client, ${quick ? 100 : 300} sequential calls per operation and size; p50 at each size against the p50 at ${base / 1000}k documents (p95 in the log)`);
    for (const [op, bySize] of sample.results) say(`storage ${op}: ${sizes.map((n) => `${n / 1000}k p50 ${bySize.get(n)!.p50.toFixed(2)} p95 ${bySize.get(n)!.p95.toFixed(2)} ms`).join(' · ')}`);
  }

  if (sections.has('gateways') || sections.has('dataloader') || sections.has('checkout') || sections.has('intelligence') || sections.has('identity')) {
    say(`starting the platform (${listSubgraphs().length} subgraphs as processes, 1,000 products)…`);
    cluster = await startMain();
    const ours = await cluster.startRouter('router', BENCH_ROUTER_PORT, { RESPONSE_CACHE_ENABLED: 'false' });
    procs.push(ours);
    say('waiting for start-up event processing to finish…');
    await waitQuiet(cluster);

    if (sections.has('gateways')) {
      const oursCached = await cluster.startRouter('router-cached', 4120, { RESPONSE_CACHE_ENABLED: 'true' });
      procs.push(oursCached);
      const gatewayEnv = { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: 'true', ROUTER_SIGNING_KEY: cluster.routerSigningKey, SUBGRAPH_URLS: JSON.stringify(cluster.subgraphUrls), NODE_ENV: 'production' };
      const plain = await spawnProcess('apollo-plain', join(ROOT, 'bench', 'gateways', 'serve.ts'), { ...gatewayEnv, GATEWAY: 'apollo', PORT: '4121' }, 4121, 'POST /graphql');
      procs.push(plain);
      let hive: Proc | null = null;
      const available = await hiveGatewayAvailable();
      if (available.ok) {
        hive = await spawnProcess('hive', join(ROOT, 'bench', 'gateways', 'serve.ts'), { ...gatewayEnv, GATEWAY: 'hive', PORT: '4122' }, 4122, 'POST /graphql');
        procs.push(hive);
      } else {
        notes.push(`Hive Gateway not measured: ${available.reason}`);
      }
      say(`gateways: our router (cache off / on), plain @apollo/gateway${hive ? ', Hive Gateway' : ''}; ${SECONDS} s per run at 32 connections…`);
      rows.push(...(await benchGateways(cluster, { ours, oursCached, plain, hive }, { seconds: SECONDS }, notes)));
      await Promise.all([oursCached.stop(), plain.stop(), hive?.stop()]);
      procs.splice(0, procs.length, ours);
    }

    if (sections.has('checkout')) {
      const listing = await expectData(ours.url, { query: contractOperation('ProductListing'), variables: { first: 1 } });
      const variantId = listing.products.edges[0].node.variants[0].id as string;
      await stockUp(cluster, variantId, 1_000_000);
      const bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'bench-checkout', registry: new Registry(), consumerDefaults: { newConsumersFrom: 'new', namespace: 'bench' } });
      try {
        const samples: CheckoutSample[] = [];
        for (const buyers of quick ? [1, 10] : [1, 10, 50]) {
          const ordersPerBuyer = buyers === 1 ? (quick ? 5 : 30) : buyers === 10 ? (quick ? 2 : 8) : quick ? 1 : 2;
          say(`checkout: ${buyers} concurrent buyers × ${ordersPerBuyer} orders…`);
          const commandsBefore = await commandsSent(cluster);
          const cpuBefore = dbCpuMs();
          const sample = await sampleCheckout(cluster, ours, bus, variantId, { buyers, ordersPerBuyer });
          const cpuAfter = dbCpuMs();
          samples.push(sample);
          if (buyers === 10) {
            const db = dbCost(sample.orders, (await commandsSent(cluster)) - commandsBefore, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, cpus().length);
            rows.push(
              { name: 'checkout 10 buyers', metric: 'db commands/order', value: db.commands, baseline: db.commands, baselineName: 'the same (all services)' },
              { name: 'checkout 10 buyers', metric: 'db server CPU ms/order', value: db.cpuMs, baseline: db.cpuMs / db.commands, baselineName: 'db server CPU ms/command' },
              { name: 'checkout 10 buyers', metric: 'orders/s', value: sample.ordersPerSecond, baseline: db.ceiling, baselineName: `what the db server alone could do on ${cpus().length} cores` },
            );
          }
        }
        const one = samples[0]!;
        const ten = samples.find((s) => s.buyers === 10);
        for (const s of samples) {
          if (s.failed) notes.push(`checkout with ${s.buyers} buyers: ${s.failed} of ${s.orders} orders cancelled`);
          if (s.timedOut) notes.push(`checkout with ${s.buyers} buyers: ${s.timedOut} of ${s.orders} orders not settled within 2 minutes (left out of the latencies)`);
          rows.push(
            { name: `checkout ${s.buyers} buyers`, metric: 'placeOrder→CONFIRMED p50 ms', value: s.p50, baseline: one.p50, baselineName: '1 buyer' },
            { name: `checkout ${s.buyers} buyers`, metric: 'placeOrder→CONFIRMED p99 ms', value: s.p99, baseline: one.p99, baselineName: '1 buyer', ...(s.buyers === 10 ? { target: { on: 'value' as const, op: '<=' as const, limit: 500 } } : {}) },
            { name: `checkout ${s.buyers} buyers`, metric: 'orders/s', value: s.ordersPerSecond, baseline: one.ordersPerSecond, baselineName: '1 buyer', ...(s.buyers === 10 ? { target: { on: 'value' as const, op: '>=' as const, limit: 25 } } : {}) },
          );
          if (s.buyers === 50 && ten) rows.push({ name: 'checkout 50 buyers', metric: 'placeOrder→CONFIRMED p99 ms', value: s.p99, baseline: ten.p99, baselineName: '10 buyers', target: { on: 'ratio', op: '<=', limit: 2 } });
        }
      } finally {
        await bus.close();
      }
    }

    if (sections.has('intelligence')) {
      const bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'bench-intelligence', registry: new Registry(), consumerDefaults: { newConsumersFrom: 'new', namespace: 'bench' } });
      try {
        rows.push(...(await benchIntelligence(cluster, ours, bus, { seconds: SECONDS, clients: 32, lagSamples: quick ? 5 : 20 }, say)));
      } finally {
        await bus.close();
      }
    }

    if (sections.has('identity')) {
      // a second router process over the same subgraphs, Redis and keys: an ended session must be
      // refused there too
      const second = await cluster.startRouter('router-second', 4123, { RESPONSE_CACHE_ENABLED: 'false' });
      procs.push(second);
      try {
        rows.push(...(await benchIdentity(cluster, ours, second, { seconds: SECONDS, rounds: quick ? 3 : 5, trials: 50 }, notes, say)));
      } finally {
        await second.stop();
        procs.splice(procs.indexOf(second), 1);
      }
    }

    if (sections.has('dataloader')) {
      say('DataLoader: batching on…');
      const on = await sampleDataLoader(cluster, ours, { seconds: SECONDS, requests: quick ? 10 : 30 });
      await stopAll();
      say('DataLoader: batching off (DATALOADER_BATCHING=false), restarting catalog, inventory and reviews…');
      // only what the listing touches; the same databases (already seeded)
      cluster = await startCluster({ infra, dbSuffix: run, seedProducts: 1000, env: { DATALOADER_BATCHING: 'false' }, only: ['catalog', 'inventory', 'reviews'] });
      const oursOff = await cluster.startRouter('router', BENCH_ROUTER_PORT, { RESPONSE_CACHE_ENABLED: 'false' });
      procs.push(oursOff);
      await waitQuiet(cluster);
      const off = await sampleDataLoader(cluster, oursOff, { seconds: SECONDS, requests: quick ? 10 : 30 });
      rows.push(
        { name: 'dataloader off ProductListing(first: 20)', metric: 'db queries/request', value: off.queriesPerRequest, baseline: on.queriesPerRequest, baselineName: 'DataLoader on' },
        { name: 'dataloader off ProductListing(first: 20)', metric: 'p50 ms @8', value: off.p50, baseline: on.p50, baselineName: 'DataLoader on' },
        { name: 'dataloader off ProductListing(first: 20)', metric: 'req/s @8', value: off.rps, baseline: on.rps, baselineName: 'DataLoader on' },
      );
    }
    await stopAll();
  }

  if (sections.has('catalog')) {
    const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    const samples: ScaleSample[] = [];
    for (const size of sizes) {
      const label = size >= 1000 ? `${size / 1000}k` : String(size);
      say(`catalog at ${label} products (written once into bench_catalog_${label}, kept for later runs)…`);
      await ensureCatalogDatabase(mongo, `bench_catalog_${label}`, size, say);
      cluster = await startCluster({ infra, dbSuffix: run, seedProducts: 0, catalogDb: `bench_catalog_${label}`, only: ['catalog'] });
      const router = await cluster.startRouter('router', BENCH_ROUTER_PORT, { RESPONSE_CACHE_ENABLED: 'false' });
      procs.push(router);
      samples.push(await sampleCatalog(router, size, { seconds: SECONDS }));
      await stopAll();
    }
    const base = samples[0]!;
    for (const s of samples.slice(1)) {
      const n = `${s.products / 1000}k`;
      rows.push(
        { name: `catalog ${n} listing (sorted)`, metric: 'p50 ms @8', value: s.listingP50, baseline: base.listingP50, baselineName: '1k products' },
        { name: `catalog ${n} listing (sorted)`, metric: 'p99 ms @8', value: s.listingP99, baseline: base.listingP99, baselineName: '1k products' },
        { name: `catalog ${n} search`, metric: 'p50 ms @8', value: s.searchP50, baseline: base.searchP50, baselineName: '1k products', ...(s.products === 100_000 ? { target: { on: 'ratio' as const, op: '<=' as const, limit: 2 } } : {}) },
        { name: `catalog ${n} search`, metric: 'p99 ms @8', value: s.searchP99, baseline: base.searchP99, baselineName: '1k products' },
      );
    }
    if (quick) notes.push('quick mode: the catalog is measured at 1k and 10k products only, checkout at 1 and 10 buyers (100k products and 50 buyers in the full run)');
  }

  if (sections.has('events')) {
    const events = quick ? 300 : 3_000;
    say(`events: ${events} through outbox → JetStream → idempotent consumer, and through bare JetStream…`);
    const e = await sampleEvents(infra, { events, concurrency: 16, dbName: `bench_events_${run}` });
    rows.push(
      { name: 'events outbox → JetStream → consumer', metric: 'events/s', value: e.pipeline, baseline: e.raw, baselineName: 'bare JetStream publish + consume', target: { on: 'value', op: '>=', limit: 1000 } },
      { name: 'events outbox → JetStream → consumer', metric: 'db commands/event', value: e.db.commands, baseline: e.db.commands, baselineName: 'the same' },
      { name: 'events outbox → JetStream → consumer', metric: 'db server CPU ms/event', value: e.db.cpuMs, baseline: e.db.cpuMs / e.db.commands, baselineName: 'db server CPU ms/command' },
      { name: 'events outbox → JetStream → consumer', metric: 'events/s', value: e.pipeline, baseline: e.db.ceiling, baselineName: `what the db server alone could do on ${cpus().length} cores` },
    );
  }
} finally {
  await stopAll().catch(() => undefined);
  await dropRunDatabases().catch(() => undefined);
  await deleteRunRedisKeys().catch(() => undefined);
  await mongo.close();
  await infra.stop();
}

const elapsed = Math.round((Date.now() - started) / 1000);
console.log(`\n${table(rows)}\n`);
for (const n of notes) console.log(`note: ${n}`);
const database = `${backend === 'ferretdb' ? `FerretDB${infra.ferretdbPostgresUrl ? ' on PostgreSQL, equality reads index-served' : ''}` : backend === 'mongodb' ? 'MongoDB' : infra.mongoKind} at ${infra.mongoUrl.replace(/\/\/[^@]*@/, '//')} (${infra.mongoKind}); NATS ${infra.natsUrl.replace(/\/\/[^@]*@/, '//')}; Redis ${infra.redisUrl}`;
const md = markdown(rows, { date: new Date().toISOString(), mode: quick ? 'quick' : 'full', database, notes: [...notes, `whole run: ${elapsed} s`] });
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const resultFile = onlyArg ? `only-${[...sections].join('-')}${quick ? '-quick' : ''}.md` : quick ? 'latest-quick.md' : 'latest.md';
writeFileSync(join(ROOT, 'bench', 'results', resultFile), md);
say(`done in ${elapsed} s; wrote bench/results/${resultFile}`);
process.exit(0);
