/**
 * Smoke test of the benchmark's baseline gateways: `npx tsx bench/gateways/smoke.ts`.
 *
 * Brings up every subgraph in this process (production mode, databases `bench_<name>`, events
 * namespace `bench`, 100 seeded products) on the infrastructure `ensureInfrastructure` finds or
 * starts, then our router, the plain Apollo gateway and Hive Gateway over them, sends the contract
 * operations ProductListing ({ first: 20 }) and ProductPage (a handle from the listing) through
 * all three and asserts the three `data` results are deep-equal. At the end it stops everything,
 * drops the bench_* databases and deletes the bench namespace's stream.
 *
 * The whole run is under a network guard: a connection (or DNS lookup, or UDP datagram) to
 * anything but loopback is refused and counted; the run fails if there was any. That is how it
 * checks that no gateway downloads anything at run time.
 *
 * `@apollo/gateway` (our router and the plain baseline alike) by default sends anonymous usage
 * metrics to Apollo (OTLP to usage-reporting.api.apollographql.com, after probing the AWS, Azure,
 * GCP and Alibaba cloud metadata endpoints) unless APOLLO_TELEMETRY_DISABLED is true. This run
 * sets APOLLO_TELEMETRY_DISABLED=true unless the environment says otherwise, so that the guard
 * proves nothing *else* reaches out; with APOLLO_TELEMETRY_DISABLED=false the guard lists those
 * attempts and the run fails.
 *
 * Exit code 0 when all three agree, 1 otherwise. SMOKE_TRACE=1 prints the stack of every refused
 * attempt (to find out which package made it).
 */
import { deepStrictEqual } from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

// @apollo/gateway reads this in its constructor (see the header comment)
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

// ─── network guard: installed before any non-builtin module is loaded (those are dynamic imports below)
const blocked: string[] = [];
function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const h = host.replace(/^\[|\]$/g, '');
  return h === '::1' || /^127\./.test(h) || /^::ffff:127\./i.test(h);
}
function refuse(what: string): Error {
  blocked.push(what);
  if (process.env.SMOKE_TRACE) console.error(`[guard] ${what}\n${new Error().stack}`);
  return Object.assign(new Error(`${what}: refused by the smoke test's network guard (loopback only)`), { code: 'ECONNREFUSED' });
}
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  // net.connect() passes its normalized [options, cb] array; sockets may also be given (options) or (port, host)
  const opts = (Array.isArray(first) ? first[0] : typeof first === 'object' && first !== null ? first : typeof first === 'number' || /^\d+$/.test(String(first)) ? { port: first, host: typeof args[1] === 'string' ? args[1] : undefined } : { path: first }) as {
    path?: string;
    host?: string;
    port?: number;
  };
  if (!opts.path && !isLoopback(opts.host)) {
    const err = refuse(`connect ${opts.host}:${opts.port}`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopback(hostname) && net.isIP(hostname) === 0) {
    const cb = rest.find((a) => typeof a === 'function') as ((err: Error) => void) | undefined;
    const err = Object.assign(refuse(`dns lookup ${hostname}`), { code: 'ENOTFOUND' });
    if (cb) process.nextTick(() => cb(err));
    return {} as never;
  }
  return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
} as typeof dns.lookup;
const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopback(hostname) && net.isIP(hostname) === 0) throw Object.assign(refuse(`dns lookup ${hostname}`), { code: 'ENOTFOUND' });
  return (originalPromisesLookup as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
} as typeof dns.promises.lookup;
const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
  const address = args.slice(1).find((a) => typeof a === 'string') as string | undefined;
  if (address !== undefined && !isLoopback(address)) {
    const cb = args.find((a) => typeof a === 'function') as ((err: Error) => void) | undefined;
    const err = refuse(`udp send to ${address}`);
    if (cb) process.nextTick(() => cb(err));
    return;
  }
  return (originalSend as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.send;

// ─── everything else, loaded under the guard
const { MongoClient } = await import('mongodb');
const { connect: connectNats } = await import('@nats-io/transport-node');
const { jetstreamManager } = await import('@nats-io/jetstream');
const { ensureInfrastructure, findRepoRoot } = await import('@commerce/infra');
const { contractOperation } = await import('../../scripts/lib/contract.ts');
const { streamNameFor } = await import('@commerce/events');
const { startCatalog } = await import('@commerce/catalog');
const { startCustomers } = await import('@commerce/customers');
const { startOrders } = await import('@commerce/orders');
const { startInventory } = await import('@commerce/inventory');
const { startCart } = await import('@commerce/cart');
const { startPayments } = await import('@commerce/payments');
const { startReviews } = await import('@commerce/reviews');
const { startRouter } = await import('@commerce/router');
const { startPlainApolloGateway } = await import('./apollo-plain.ts');
const { startHiveGateway, hiveGatewayAvailable } = await import('./hive.ts');

type Service = { name: string; url: string; stop(): Promise<void> };
type Gql = { data?: unknown; errors?: Array<{ message: string }> };

const ROOT = findRepoRoot();
const SERVICES = ['catalog', 'customers', 'orders', 'inventory', 'cart', 'payments', 'reviews'] as const;
const NAMESPACE = 'bench';
const dbName = (service: string) => `bench_${service}`;
const say = (line: string) => console.log(`[smoke] ${line}`);

async function gql(url: string, query: string, variables: Record<string, unknown>): Promise<Gql> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: Gql;
  try {
    body = JSON.parse(text) as Gql;
  } catch {
    throw new Error(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!res.ok || body.errors?.length) throw new Error(`${url}: HTTP ${res.status}, errors: ${JSON.stringify(body.errors ?? body).slice(0, 600)}`);
  return body;
}

/** The first path at which two JSON values differ (for a readable failure). */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Drops the bench databases and deletes the bench namespace's stream (and with it its consumers). */
async function resetBenchState(mongoUrl: string, natsUrl: string): Promise<string[]> {
  const done: string[] = [];
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const { databases } = (await client.db('admin').command({ listDatabases: 1, nameOnly: true })) as { databases: Array<{ name: string }> };
    const ours = new Set(SERVICES.map(dbName));
    for (const { name } of databases) {
      if (!ours.has(name)) continue;
      await client.db(name).dropDatabase();
      done.push(name);
    }
  } finally {
    await client.close();
  }
  const nc = await connectNats({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = streamNameFor(NAMESPACE);
    if (await jsm.streams.delete(stream).catch(() => false)) done.push(`stream ${stream}`);
  } finally {
    await nc.close();
  }
  return done;
}

// Share infrastructure the way test runs do (packages/testing/src/global-setup.ts): register in
// .data/test-runs while running, so a test run that finishes meanwhile leaves the servers up,
// and leave up what this run started if a test run is still using it.
const runsDir = join(ROOT, '.data', 'test-runs');
const runFile = join(runsDir, String(process.pid));
mkdirSync(runsDir, { recursive: true });
writeFileSync(runFile, '');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const infra = await ensureInfrastructure({ log: (l) => console.error(`[infra] ${l}`) }).catch((err: unknown) => {
  rmSync(runFile, { force: true });
  throw err;
});
const routerSecret = `bench-${randomBytes(24).toString('hex')}`;
const started: Array<{ name: string; stop(): Promise<void> }> = [];
let failed = false;

try {
  say(`infrastructure: mongo ${infra.mongoKind} ${infra.mongoUrl}, nats ${infra.natsUrl}, redis ${infra.redisUrl}`);
  const reset = await resetBenchState(infra.mongoUrl, infra.natsUrl);
  if (reset.length) say(`left over from an earlier run, removed: ${reset.join(', ')}`);

  // ── subgraphs, in this process (as test/e2e/platform.ts does; cart first: orders reads carts)
  const jwtPrivateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const envFor = (service: string): NodeJS.ProcessEnv => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    MONGO_URL: infra.mongoUrl,
    NATS_URL: infra.natsUrl,
    REDIS_URL: infra.redisUrl,
    ROUTER_SECRET: routerSecret,
    EVENTS_NAMESPACE: NAMESPACE,
    [`${service.toUpperCase()}_DB_NAME`]: dbName(service),
    [`${service.toUpperCase()}_PORT`]: '0',
    ...(service === 'catalog' ? { CATALOG_SEED_PRODUCTS: '100' } : {}),
    ...(service === 'customers' ? { JWT_PRIVATE_KEY: jwtPrivateKey } : {}),
  });
  const t0 = Date.now();
  const services = {} as Record<(typeof SERVICES)[number], Service>;
  services.cart = await startCart(envFor('cart'));
  started.push(services.cart);
  const cartBase = services.cart.url.replace(/\/graphql$/, '');
  const starters = { catalog: startCatalog, customers: startCustomers, orders: startOrders, inventory: startInventory, payments: startPayments, reviews: startReviews };
  await Promise.all(
    (Object.keys(starters) as Array<keyof typeof starters>).map(async (name) => {
      const env = envFor(name);
      if (name === 'orders') env.CART_INTERNAL_URL = cartBase;
      const service = await starters[name](env);
      services[name] = service;
      started.push(service);
    }),
  );
  say(`7 subgraphs up in ${((Date.now() - t0) / 1000).toFixed(1)} s (catalog seeded with 100 products)`);
  const subgraphUrls = Object.fromEntries(SERVICES.map((s) => [s, services[s].url]));
  const supergraphSdl = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');

  // ── the three gateways over the same subgraphs
  const router = await startRouter({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ROUTER_PORT: '0',
    ROUTER_SECRET: routerSecret,
    REDIS_URL: infra.redisUrl,
    CUSTOMERS_JWKS_URL: (services.customers as Service & { jwksUrl: string }).jwksUrl,
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, services[s].url])),
    RESPONSE_CACHE_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
  });
  started.push({ name: 'router', stop: () => router.stop() });
  const apollo = await startPlainApolloGateway({ supergraphSdl, subgraphUrls, routerSecret });
  started.push({ name: 'apollo-plain', stop: () => apollo.stop() });
  const hiveStatus = await hiveGatewayAvailable();
  if (!hiveStatus.ok) throw new Error(`Hive Gateway unavailable: ${hiveStatus.reason}`);
  const hive = await startHiveGateway({ supergraphSdl, subgraphUrls, routerSecret });
  started.push({ name: 'hive', stop: () => hive.stop() });
  const gateways = [
    { name: 'router', url: router.url },
    { name: 'apollo-plain', url: apollo.url },
    { name: 'hive', url: hive.url },
  ];
  for (const g of gateways) say(`${g.name.padEnd(12)} ${g.url}`);

  const listing = contractOperation('ProductListing');
  const page = contractOperation('ProductPage');

  // Projections (catalog's read model, stock, cart) catch up with the seed asynchronously: wait
  // until the router gives the same listing twice in a row before comparing gateways.
  const settleDeadline = Date.now() + 30_000;
  let previous = JSON.stringify((await gql(router.url, listing, { first: 20 })).data);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const current = JSON.stringify((await gql(router.url, listing, { first: 20 })).data);
    if (current === previous) break;
    if (Date.now() > settleDeadline) throw new Error('the listing kept changing for 30 s');
    previous = current;
  }

  const products = (JSON.parse(previous) as { products: { totalCount: number; edges: Array<{ node: { handle: string } }> } }).products;
  const handle = products.edges[0]?.node.handle;
  if (!handle) throw new Error('the listing is empty: did the catalog seed?');
  const cases = [
    { operation: 'ProductListing', query: listing, variables: { first: 20 } },
    { operation: 'ProductPage', query: page, variables: { handle } },
  ];
  for (const c of cases) {
    const results: Array<{ name: string; data: unknown; ms: number }> = [];
    for (const g of gateways) {
      const start = performance.now();
      const { data } = await gql(g.url, c.query, c.variables);
      results.push({ name: g.name, data, ms: performance.now() - start });
    }
    const [reference, ...others] = results as [(typeof results)[number], ...typeof results];
    for (const other of others) {
      const diff = firstDifference(reference.data, other.data);
      try {
        deepStrictEqual(other.data, reference.data);
      } catch {
        throw new Error(`${c.operation}: ${other.name} differs from ${reference.name} at ${diff}`);
      }
    }
    const size = JSON.stringify(reference.data).length;
    say(`${c.operation.padEnd(14)} ${JSON.stringify(c.variables)}: data deep-equal across router, apollo-plain, hive (${size} bytes; ${results.map((r) => `${r.name} ${r.ms.toFixed(0)} ms`).join(', ')})`);
  }
  say(`listing: ${products.edges.length} of ${products.totalCount} products; page: "${handle}"`);
} catch (err) {
  failed = true;
  console.error(`[smoke] FAILED: ${(err as Error).stack ?? err}`);
} finally {
  for (const s of [...started].reverse()) {
    await s.stop().catch((err: Error) => console.error(`[smoke] stopping ${s.name}: ${err.message}`));
  }
  try {
    const removed = await resetBenchState(infra.mongoUrl, infra.natsUrl);
    say(`cleaned up: ${removed.join(', ') || 'nothing to remove'}`);
  } catch (err) {
    failed = true;
    console.error(`[smoke] cleanup failed: ${(err as Error).message}`);
  }
  rmSync(runFile, { force: true });
  const others = readdirSync(runsDir).filter((f) => alive(Number(f)));
  if (others.length) {
    infra.detach();
    say(`infrastructure left running for ${others.length} test run(s) still using it`);
  } else {
    await infra.stop();
  }
}

if (blocked.length) {
  failed = true;
  console.error(`[smoke] FAILED: ${blocked.length} attempt(s) to reach beyond loopback:\n  ${[...new Set(blocked)].join('\n  ')}`);
} else {
  say(`network guard: no connection, DNS lookup or datagram beyond loopback during the whole run (APOLLO_TELEMETRY_DISABLED=${process.env.APOLLO_TELEMETRY_DISABLED})`);
}
say(failed ? 'FAILED' : 'OK');
process.exit(failed ? 1 : 0);
