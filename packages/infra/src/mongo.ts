import fs from 'node:fs';
import path from 'node:path';
import type { ResolveContext } from './context.ts';
import { errorMessage, InfrastructureError, redactUrl } from './errors.ts';
import { adoptRunningFerretDb, startFerretDb } from './ferretdb.ts';
import { describeMongo, localMongoUrl, pingMongo } from './mongo-ping.ts';
import { canConnect } from './net.ts';
import { findExecutable, startProcess, waitForReady, type Stoppable } from './process.ts';

export type MongoKind = 'env' | 'existing' | 'mongod' | 'memory-server' | 'ferretdb';

const ENV_CHECK_MS = 3_000;
const EXISTING_CHECK_MS = 2_000;
const MONGOD_READY_MS = 30_000;
// mongodb-memory-server downloads a MongoDB binary on first use; where that cannot succeed it
// must fail in seconds so that the next option is tried.
const MEMORY_SERVER_TIMEOUT_MS = 10_000;

/**
 * MONGO_URL, else a server already on 127.0.0.1:27017 (existingMongoPort) or on mongoPort, else
 * `mongod` from PATH, else mongodb-memory-server if installed, else FerretDB from tools/ferretdb.
 */
export interface ResolvedMongo {
  url: string;
  kind: MongoKind;
  /** FerretDB on PostgreSQL with the equality indexes installed: that PostgreSQL database's URL */
  equalityIndexes?: string;
}

export async function resolveMongo(ctx: ResolveContext): Promise<ResolvedMongo> {
  const fromEnv = ctx.env.MONGO_URL;
  if (fromEnv) {
    try {
      const info = await pingMongo(fromEnv, ENV_CHECK_MS);
      ctx.log(`MongoDB: MONGO_URL ${redactUrl(fromEnv)} (${describeMongo(info)})`);
    } catch (err) {
      throw new InfrastructureError(`MONGO_URL=${redactUrl(fromEnv)} does not answer: ${errorMessage(err)}. Start that server, fix MONGO_URL, or unset it to use a local one.`);
    }
    return { url: fromEnv, kind: 'env' };
  }

  for (const port of new Set([ctx.existingMongoPort, ctx.mongoPort])) {
    const found = await probeExisting(ctx, port);
    if (found) return { ...found, kind: 'existing' };
  }

  const mongod = findExecutable('mongod', ctx.env);
  if (mongod) return { url: await startMongod(ctx, mongod), kind: 'mongod' };

  const memoryUrl = await tryMemoryServer(ctx);
  if (memoryUrl) return { url: memoryUrl, kind: 'memory-server' };

  return { ...(await startFerretDb(ctx)), kind: 'ferretdb' };
}

async function probeExisting(ctx: ResolveContext, port: number): Promise<{ url: string; equalityIndexes?: string } | undefined> {
  if (!(await canConnect('127.0.0.1', port, 500))) return undefined;
  const url = localMongoUrl(port);
  try {
    const info = await pingMongo(url, EXISTING_CHECK_MS);
    ctx.log(`MongoDB: using the ${describeMongo(info)} already listening on 127.0.0.1:${port}`);
    const equalityIndexes = info.ferretdbVersion ? await adoptRunningFerretDb(ctx) : undefined;
    return equalityIndexes ? { url, equalityIndexes } : { url };
  } catch (err) {
    const problem = `127.0.0.1:${port} accepts connections but does not answer as MongoDB (${errorMessage(err)})`;
    // We would have to start our own server on this very port: say why that cannot work.
    if (port === ctx.mongoPort) throw new InfrastructureError(`${problem}. Stop whatever listens there, set MONGO_URL, or use another port.`);
    ctx.log(`${problem}; ignoring it`);
    return undefined;
  }
}

async function startMongod(ctx: ResolveContext, mongod: string): Promise<string> {
  const dbPath = path.join(ctx.dataDir, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  const port = ctx.mongoPort;
  const proc = startProcess({
    name: 'mongod',
    command: mongod,
    args: ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port)],
    cwd: ctx.dataDir,
    env: ctx.env,
    logFile: path.join(ctx.dataDir, 'mongod.log'),
    onUnexpectedExit: ctx.log,
  });
  ctx.track(proc);
  const url = localMongoUrl(port);
  await waitForReady(proc, MONGOD_READY_MS, async () => {
    if (!(await canConnect('127.0.0.1', port, 300))) return false;
    await pingMongo(url, 2000);
    return true;
  });
  ctx.log(`MongoDB: started ${mongod} on 127.0.0.1:${port} (data ${dbPath}, log ${proc.logFile})`);
  return url;
}

interface MemoryServer {
  stop(): Promise<unknown>;
}
interface MemoryServerModule {
  MongoMemoryServer: { create(opts: unknown): Promise<MemoryServer> };
}

/** Starts mongodb-memory-server if the package is installed; undefined if it is not or fails. */
async function tryMemoryServer(ctx: ResolveContext): Promise<string | undefined> {
  let mod: MemoryServerModule;
  try {
    // A variable specifier: the package is optional, and neither tsc nor a bundler may insist on it.
    const specifier = 'mongodb-memory-server';
    mod = (await import(specifier)) as MemoryServerModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') ctx.log(`mongodb-memory-server cannot be loaded (${errorMessage(err)}); skipping it`);
    return undefined;
  }

  // A download that failed here once (no internet) will fail again: skip it for a day rather than
  // spend its retries on every start.
  const marker = path.join(ctx.dataDir, 'mongodb-memory-server.unavailable');
  try {
    if (Date.now() - fs.statSync(marker).mtimeMs < 24 * 3600_000) return undefined;
  } catch {
    /* no marker: try */
  }
  const remember = (why: string) => {
    try {
      fs.mkdirSync(ctx.dataDir, { recursive: true });
      fs.writeFileSync(marker, `${new Date().toISOString()} ${why}\n`);
    } catch {
      /* best effort */
    }
  };

  const port = ctx.mongoPort;
  ctx.log('MongoDB: starting mongodb-memory-server (downloads a MongoDB binary on first use)…');
  // The library prints a failed start (a 20-line stack trace) with console.warn: keep that detail
  // in its log file; our one line below says what happened.
  const logFile = path.join(ctx.dataDir, 'mongodb-memory-server.log');
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    try {
      fs.mkdirSync(ctx.dataDir, { recursive: true });
      fs.appendFileSync(logFile, `${new Date().toISOString()} ${args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')}\n`);
    } catch {
      /* best effort */
    }
  };
  const creating = mod.MongoMemoryServer.create({ instance: { ip: '127.0.0.1', port } });
  const restoreConsole = () => {
    if (console.warn !== consoleWarn) console.warn = consoleWarn;
  };
  creating.then(restoreConsole, restoreConsole);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, MEMORY_SERVER_TIMEOUT_MS, 'timeout');
    timer.unref();
  });
  let server: MemoryServer | 'timeout';
  try {
    server = await Promise.race([creating, timeout]);
  } catch (err) {
    restoreConsole();
    ctx.log(`mongodb-memory-server failed (${errorMessage(err).split('\n')[0]}; details in ${logFile}); falling back to FerretDB`);
    remember(errorMessage(err).split('\n')[0] ?? 'failed');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  if (server === 'timeout') {
    restoreConsole();
    // It cannot be cancelled; if it comes up after all, shut it down rather than leak it.
    creating.then((late) => late.stop()).catch(() => undefined);
    ctx.log(`mongodb-memory-server did not start within ${MEMORY_SERVER_TIMEOUT_MS / 1000} s (no download possible?); falling back to FerretDB`);
    remember('timed out');
    return undefined;
  }
  const started = server;
  let stopped: Promise<void> | undefined;
  const stoppable: Stoppable = {
    name: 'mongodb-memory-server',
    stop: () => (stopped ??= started.stop().then(() => undefined)),
  };
  ctx.track(stoppable);
  ctx.log(`MongoDB: started mongodb-memory-server on 127.0.0.1:${port}`);
  return localMongoUrl(port);
}

/**
 * The URL of database `dbName` on the server of `baseUrl`: the name goes into the path (replacing
 * one already there), query parameters are kept. With credentials the driver would take the path's
 * database as the authentication database, so the one in force before is pinned as authSource.
 */
export function mongoUrlFor(baseUrl: string, dbName: string): string {
  if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(dbName)) throw new Error(`invalid MongoDB database name: ${JSON.stringify(dbName)}`);
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/.exec(baseUrl);
  if (!match) throw new Error(`not a MongoDB connection string: ${redactUrl(baseUrl)}`);
  const [, scheme = '', authority = '', pathPart = '', queryPart = ''] = match;
  let query = queryPart.length > 1 ? queryPart.slice(1) : '';
  const params = new URLSearchParams(query);
  const mechanism = params.get('authMechanism');
  const scram = !mechanism || mechanism.startsWith('SCRAM');
  // mongodb+srv may get authSource from its TXT record (Atlas does): leave it to that.
  if (authority.includes('@') && scram && !params.has('authSource') && scheme === 'mongodb://') {
    const current = decodeURIComponent(pathPart.replace(/^\//, '')) || 'admin';
    if (current !== dbName) query = query ? `${query}&authSource=${encodeURIComponent(current)}` : `authSource=${encodeURIComponent(current)}`;
  }
  return `${scheme}${authority}/${encodeURIComponent(dbName)}${query ? `?${query}` : ''}`;
}
