import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRouterKeyPair } from '@commerce/platform';
import { listSubgraphs, ROOT } from '../../scripts/lib/subgraphs.ts';

/**
 * The platform as separate processes, as in production (one event loop per service), on fixed
 * bench ports (router 4100, subgraphs 4101…) so it does not collide with `npm start`. Logs go to
 * .data/bench-logs/<name>.log.
 */
export const BENCH_ROUTER_PORT = 4100;
/** analytics' Redis keys of a bench run start with this and the run's suffix */
export const BENCH_REDIS_PREFIX = 'bench:an:';
const LOG_DIR = join(ROOT, '.data', 'bench-logs');

export interface Infra {
  mongoUrl: string;
  natsUrl: string;
  redisUrl: string;
}

export interface Proc {
  name: string;
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export interface Cluster {
  env: NodeJS.ProcessEnv;
  subgraphs: Record<string, Proc>;
  /** the router context's private key (ROUTER_SIGNING_KEY of the routers; baseline gateways and direct subgraph calls sign with it) */
  routerSigningKey: string;
  /** name → GraphQL URL of every subgraph */
  subgraphUrls: Record<string, string>;
  /** the customers' OAuth 2.0 provider (OAUTH_ISSUER of customers and the routers; token endpoint `<issuer>/token`) */
  oauthIssuer: string;
  startRouter(name: string, port: number, extraEnv?: Record<string, string>): Promise<Proc>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

/** ready when GET `<origin><path>` answers 2xx, or — for a path starting with `POST ` — when a GraphQL `{ __typename }` POST does */
async function isReady(origin: string, readyPath: string): Promise<boolean> {
  if (readyPath.startsWith('POST ')) {
    const res = await fetch(`${origin}${readyPath.slice(5)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(1000) });
    return res.ok;
  }
  const res = await fetch(`${origin}${readyPath}`, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

async function waitReady(origin: string, readyPath: string, name: string, log: string, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (code ${proc.exitCode}); last lines of ${log}:\n${tail(log)}`);
    try {
      if (await isReady(origin, readyPath)) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready within ${timeoutMs / 1000} s; last lines of ${log}:\n${tail(log)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts `entry` (a TS file) as its own Node process and waits for `readyPath`. */
export async function spawnProcess(name: string, entry: string, env: NodeJS.ProcessEnv, port: number, readyPath = '/health/ready', timeoutMs = 60_000): Promise<Proc> {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = join(LOG_DIR, `${name}.log`);
  const out = createWriteStream(log, { flags: 'w' });
  // BENCH_NODE_ARGS: extra Node flags for every service process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitReady(origin, readyPath, name, log, proc, timeoutMs);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return {
    name,
    origin,
    url: `${origin}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => {
          children.delete(proc);
          resolve();
        });
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * Waits until every subgraph's consumers have caught up (no pending messages, empty outbox) and
 * then a little longer: measurements must not share the CPU with start-up event processing.
 */
export async function waitQuiet(cluster: Cluster, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let busy = 0;
    for (const p of Object.values(cluster.subgraphs)) {
      const text = await (await fetch(`${p.origin}/metrics`)).text();
      for (const line of text.split('\n')) {
        if (line.startsWith('events_consumer_pending{') || line.startsWith('outbox_pending_entries{')) busy += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    if (busy === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 1000));
}

export interface ClusterOptions {
  infra: Infra;
  /** database name suffix: `bench_<service>_<suffix>` */
  dbSuffix: string;
  seedProducts: number;
  /** per-service env (e.g. DATALOADER_BATCHING=false), applied to every subgraph */
  env?: Record<string, string>;
  /** only these subgraphs (default all) */
  only?: string[];
  /** catalog database (scale runs keep one per size) */
  catalogDb?: string;
}

let jwtKey: string | undefined;

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  jwtKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // the router signs subgraph contexts with the private key; subgraphs get only the public key
  const routerKeys = generateRouterKeyPair();
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    MONGO_URL: opts.infra.mongoUrl,
    NATS_URL: opts.infra.natsUrl,
    REDIS_URL: opts.infra.redisUrl,
    ROUTER_PUBLIC_KEY: routerKeys.publicKey,
    EVENTS_NAMESPACE: 'bench',
    // durables of earlier bench runs (their databases are gone) disappear on their own
    EVENTS_DURABLE_TTL_MS: '600000',
    JWT_PRIVATE_KEY: jwtKey,
    ...opts.env,
  };
  const subgraphs: Record<string, Proc> = {};
  const all = listSubgraphs().filter((s) => !opts.only || opts.only.includes(s.name));
  const portOf = (i: number) => 4101 + i;
  const urls: Record<string, string> = {};
  all.forEach((s, i) => (urls[s.name] = `http://127.0.0.1:${portOf(i)}/graphql`));
  const oauthIssuer = urls.customers ? urls.customers.replace(/\/graphql$/, '/oauth') : 'http://127.0.0.1:9/oauth';
  const envOf = (name: string, i: number): NodeJS.ProcessEnv => {
    const N = name.toUpperCase();
    const env: NodeJS.ProcessEnv = { ...base, [`${N}_PORT`]: String(portOf(i)), [`${N}_DB_NAME`]: `bench_${name}_${opts.dbSuffix}` };
    if (name === 'catalog') {
      env.CATALOG_SEED_PRODUCTS = String(opts.seedProducts);
      if (opts.catalogDb) env.CATALOG_DB_NAME = opts.catalogDb;
    }
    if (name === 'orders' && urls.cart) env.CART_INTERNAL_URL = urls.cart.replace(/\/graphql$/, '');
    // the bench runs production builds with the test provider: a staging channel
    if (name === 'payments') env.PAYMENTS_ALLOW_TEST_PROVIDER = 'true';
    // what production requires of customers (issue 13): its own key-ring and cookie secrets (one
    // run's), the OAuth issuer as the routers see it, and mail off on purpose
    if (name === 'customers') Object.assign(env, { JWT_KEYRING_SECRET: randomBytes(24).toString('hex'), OAUTH_COOKIE_KEYS: randomBytes(24).toString('hex'), OAUTH_ISSUER: oauthIssuer, MAIL_TRANSPORT: 'log' });
    // analytics counts under the run's own Redis prefix (bench/run.ts deletes it at the end)
    if (name === 'analytics') env.ANALYTICS_REDIS_PREFIX = `${BENCH_REDIS_PREFIX}${opts.dbSuffix}:`;
    return env;
  };
  const stopAll = async () => {
    await Promise.all(Object.values(subgraphs).map((p) => p.stop()));
  };
  try {
    await Promise.all(
      all.map(async (s, i) => {
        subgraphs[s.name] = await spawnProcess(s.name, s.entry, envOf(s.name, i), portOf(i), '/health/ready', s.name === 'catalog' ? 30 * 60_000 : 120_000);
      }),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  const routerBase: NodeJS.ProcessEnv = {
    ...base,
    ROUTER_SIGNING_KEY: routerKeys.signingKey,
    CUSTOMERS_JWKS_URL: urls.customers ? urls.customers.replace(/\/graphql$/, '/.well-known/jwks.json') : 'http://127.0.0.1:9/none',
    OAUTH_ISSUER: oauthIssuer,
    // every request of the bench comes from 127.0.0.1: the limiter runs, but never throttles
    RATE_LIMIT_ANONYMOUS: '1000000000:1000000000',
    RATE_LIMIT_CUSTOMER: '1000000000:1000000000',
    ...Object.fromEntries(Object.entries(urls).map(([n, u]) => [`${n.toUpperCase()}_URL`, u])),
  };
  return {
    env: base,
    subgraphs,
    routerSigningKey: routerKeys.signingKey,
    subgraphUrls: urls,
    oauthIssuer,
    startRouter: (name, port, extraEnv = {}) => spawnProcess(name, join(ROOT, 'router', 'src', 'index.ts'), { ...routerBase, ROUTER_PORT: String(port), ...extraEnv }, port, '/health'),
    stop: stopAll,
  };
}
