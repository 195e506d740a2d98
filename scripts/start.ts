/**
 * `npm start`: brings up the whole platform on this machine.
 *   1. infrastructure: finds or starts a MongoDB-compatible server, NATS (JetStream) and Redis
 *   2. every subgraph under subgraphs/ as its own process (logs in .data/logs/<name>.log)
 *   3. the router on :4000 — then prints the Sandbox URL
 * The catalog seeds a deterministic demo catalog into an empty database (--products N, default 1000);
 * in development, simulated shoppers then give an empty platform some history (views, carts,
 * orders, recommendation clicks) in the background, so analytics and recommendations have
 * something to show (--no-history skips it; `npm run simulate` adds more).
 * Ctrl-C stops everything this command started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInfrastructure, InfrastructureError, type Infrastructure } from '@commerce/infra';
import { devRouterKeyDir, ensureDevRouterKeys, parseRouterSigningKey } from '@commerce/platform';
import { MongoClient } from 'mongodb';
import { createApiKey, createPartner, findPartner, logInAdmin, publishManifest } from './lib/partners-client.ts';
import { describeError, retryUntil, waitForRouterReady } from './lib/readiness.ts';
import { simulateShoppers } from './lib/shopper-simulation.ts';
import { listSubgraphs, ROOT } from './lib/subgraphs.ts';

const args = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const products = Number(option('--products') ?? process.env.CATALOG_SEED_PRODUCTS ?? 1000);
if (!Number.isInteger(products) || products < 0 || products > 200_000) {
  console.error('--products must be a whole number from 0 to 200000');
  process.exit(2);
}
const verbose = args.includes('--verbose');
const history = !args.includes('--no-history');
const routerPort = Number(process.env.ROUTER_PORT ?? 4000);
const logDir = join(ROOT, '.data', 'logs');
mkdirSync(logDir, { recursive: true });

const say = (line: string) => console.log(`[start] ${line}`);
const children: Array<{ name: string; proc: ChildProcess; log: string }> = [];
let infra: Infrastructure | undefined;
let shuttingDown = false;

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function shutdown(code: number): Promise<never> {
  shuttingDown = true;
  for (const c of [...children].reverse()) c.proc.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise<void>((r) => (c.proc.exitCode !== null ? r() : c.proc.once('exit', () => r())))));
  await infra?.stop();
  process.exit(code);
}

function startProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'w' });
  // the telemetry preload: OpenTelemetry and its instrumentations before the service's modules load
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', './packages/platform/src/telemetry-preload.ts', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  if (verbose) {
    proc.stdout!.on('data', (d: Buffer) => process.stdout.write(`${name} | ${d}`));
    proc.stderr!.on('data', (d: Buffer) => process.stderr.write(`${name} | ${d}`));
  }
  proc.once('exit', (code, signal) => {
    if (shuttingDown) return;
    console.error(`[start] ${name} exited (${signal ?? `code ${code}`}); last lines of ${log}:\n${tail(log)}`);
    void shutdown(1);
  });
  children.push({ name, proc, log });
  return proc;
}

async function waitReady(name: string, url: string, timeoutMs: number, progress?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastNote = Date.now();
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      const child = children.find((c) => c.name === name);
      throw new Error(`${name} was not ready within ${timeoutMs / 1000} s (${url}); last lines of its log:\n${child ? tail(child.log) : ''}`);
    }
    if (progress && Date.now() - lastNote > 3000) {
      lastNote = Date.now();
      const note = progress();
      if (note) say(note);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The catalog logs seeding progress as JSON lines; show the latest one while waiting. */
function seedingProgress(log: string): () => string | undefined {
  return () => {
    const lines = tail(log, 5).split('\n').reverse();
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as { msg?: string; done?: number; total?: number };
        if (entry.msg === 'seeding products') return `seeding demo catalog: ${entry.done}/${entry.total} products`;
        if (entry.msg === 'seeding the demo catalog') return 'seeding demo catalog…';
      } catch {
        /* not JSON */
      }
    }
    return undefined;
  };
}

const SAMPLE_PARTNER = 'Sample Partner';
const SAMPLE_KEY_FILE = join(ROOT, '.data', 'sample-partner.key');

/**
 * Development only: the sample partner exists, has a key (kept in .data/sample-partner.key, never
 * printed) and has the sample manifest published — so the partner workflow can be tried at once.
 */
async function ensureSamplePartner(routerUrl: string): Promise<string> {
  // /health only says the router listens: wait (bounded) until it serves GraphQL with every
  // subgraph reachable, and retry the admin log-in while the path to customers still fails to connect
  await waitForRouterReady(routerUrl, 60_000);
  const admin = await retryUntil(
    () => logInAdmin(routerUrl, process.env.SEED_ADMIN_EMAIL ?? 'admin@example.com', process.env.SEED_ADMIN_PASSWORD ?? 'admin-password'),
    { what: `the admin log-in through the router (${routerUrl})`, timeoutMs: 30_000, intervalMs: 500 },
  );
  let partner = await findPartner(admin, SAMPLE_PARTNER);
  if (!partner) {
    const created = await createPartner(admin, SAMPLE_PARTNER);
    writeFileSync(SAMPLE_KEY_FILE, `${created.apiKey}\n`, { mode: 0o600 });
    partner = created;
  } else if (!existsSync(SAMPLE_KEY_FILE)) {
    writeFileSync(SAMPLE_KEY_FILE, `${await createApiKey(admin, partner.id)}\n`, { mode: 0o600 });
  }
  await publishManifest(admin, partner.id, readFileSync(join(ROOT, 'schema', 'partners', 'sample-partner.manifest.json'), 'utf8'));
  return partner.id;
}

/**
 * Development only: simulated shoppers give a platform without any recorded behaviour a little
 * history, in the background (its log: .data/logs/simulate.log). Skipped once analytics has
 * rolled up anything.
 */
async function seedDemoHistory(routerUrl: string, mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 3000 });
  const out = createWriteStream(join(logDir, 'simulate.log'), { flags: 'a' });
  try {
    const rollups = client.db(process.env.ANALYTICS_DB_NAME ?? 'commerce_analytics').collection('analytics_hours');
    if ((await rollups.countDocuments({}, { limit: 1 })) > 0) return;
    say('simulating 30 shoppers in the background for some demo history (.data/logs/simulate.log)…');
    const r = await simulateShoppers({ routerUrl, shoppers: 30, sessions: 2, views: 6, concurrency: 4, seed: 7, log: (line) => out.write(`${line}\n`) });
    say(`demo history: ${r.events} events, ${r.addToCarts} add-to-carts, ${r.orders} orders from ${r.shoppers} simulated shoppers`);
  } catch (err) {
    say(`could not simulate demo history: ${(err as Error).message} (details in .data/logs/simulate.log)`);
    out.write(`${(err as Error).stack ?? err}\n`);
  } finally {
    out.end();
    await client.close();
  }
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  infra = await ensureInfrastructure({ log: (l) => say(l) });
  // The router context's keys: ROUTER_SIGNING_KEY for the router only, ROUTER_PUBLIC_KEY for the
  // subgraphs (derived from the signing key when only that is given); neither set: the development
  // pair in .data/keys/router, created here once before any service starts.
  const { ROUTER_SIGNING_KEY: signingKey, ...inherited } = process.env;
  const routerPublicKey = process.env.ROUTER_PUBLIC_KEY ?? (signingKey ? (createPublicKey(parseRouterSigningKey(signingKey).privateKey).export({ type: 'spki', format: 'pem' }) as string) : undefined);
  if (!signingKey && (process.env.NODE_ENV ?? 'development') !== 'production') {
    const dir = devRouterKeyDir();
    if (dir && (await ensureDevRouterKeys(dir)) === 'generated') say(`generated the development key pair of the router context in ${dir}`);
  }
  const base: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    MONGO_URL: infra.mongoUrl,
    NATS_URL: infra.natsUrl,
    REDIS_URL: infra.redisUrl,
    ...(routerPublicKey ? { ROUTER_PUBLIC_KEY: routerPublicKey } : {}),
  };
  const subgraphs = listSubgraphs();
  for (const s of subgraphs) {
    const env: NodeJS.ProcessEnv = { ...base };
    if (s.name === 'catalog') env.CATALOG_SEED_PRODUCTS = String(products);
    // a nats-server with the generated users (one infra started): each service connects as its own
    // user, with the permissions of a deployment (security review finding 2)
    const natsPassword = infra.natsUsers?.[s.name];
    if (natsPassword) Object.assign(env, { NATS_USER: s.name, NATS_PASSWORD: natsPassword });
    startProcess(s.name, s.entry, env);
  }
  for (const s of subgraphs) {
    const log = join(logDir, `${s.name}.log`);
    await waitReady(s.name, `http://127.0.0.1:${s.port}/health/ready`, s.name === 'catalog' ? 30 * 60_000 : 60_000, s.name === 'catalog' ? seedingProgress(log) : undefined);
    say(`${s.name.padEnd(10)} http://127.0.0.1:${s.port}/graphql (router only)`);
  }
  startProcess('router', join(ROOT, 'router', 'src', 'index.ts'), { ...base, ROUTER_PORT: String(routerPort), ...(signingKey ? { ROUTER_SIGNING_KEY: signingKey } : {}) });
  await waitReady('router', `http://127.0.0.1:${routerPort}/health`, 60_000);
  let partnerNote = '';
  if (base.NODE_ENV === 'development') {
    try {
      const id = await ensureSamplePartner(`http://127.0.0.1:${routerPort}/graphql`);
      partnerNote = `\n    Sample partner:            ${id}, API key in .data/sample-partner.key (README: Partners)`;
    } catch (err) {
      say(`could not set up the sample partner: ${describeError(err)}`);
    }
  }
  console.log(`
  Commerce API is up.
    GraphQL + Apollo Sandbox:  http://127.0.0.1:${routerPort}/graphql
    Demo admin:                ${process.env.SEED_ADMIN_EMAIL ?? 'admin@example.com'} / ${process.env.SEED_ADMIN_PASSWORD ? '(SEED_ADMIN_PASSWORD)' : 'admin-password'}
    OAuth 2.0 / OpenID:        ${process.env.OAUTH_ISSUER ?? 'http://127.0.0.1:4002/oauth'}/.well-known/openid-configuration (client "storefront", README: Identity)
${base.NODE_ENV === 'development' ? '    Dev mailbox:               http://127.0.0.1:4002/dev/mailbox?to=<email>\n' : ''}    Logs:                      .data/logs/<service>.log${partnerNote}
  Ctrl-C stops everything.
`);
  if (base.NODE_ENV === 'development' && history) void seedDemoHistory(`http://127.0.0.1:${routerPort}/graphql`, infra.mongoUrl);
} catch (err) {
  if (err instanceof InfrastructureError) console.error(`[start] ${err.message}`);
  else console.error(`[start] ${(err as Error).message}`);
  await shutdown(1);
}
