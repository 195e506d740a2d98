import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResolveContext } from './context.ts';
import { InfrastructureError } from './errors.ts';
import { localMongoUrl, pingMongo } from './mongo-ping.ts';
import { canConnect } from './net.ts';
import { findExecutable, startProcess, waitForReady, withLogTail } from './process.ts';

const READY_TIMEOUT_MS = 20_000;
// A cold build downloads ~100 modules; past this the proxy is most likely unreachable.
const BUILD_TIMEOUT_MS = 5 * 60_000;
const PROGRESS_EVERY_MS = 15_000;
const SOURCE_FILES = ['main.go', 'go.mod', 'go.sum'];

export interface FerretDbPaths {
  sourceDir: string;
  binary: string;
}

export function ferretDbPaths(rootDir: string): FerretDbPaths {
  return {
    sourceDir: path.join(rootDir, 'tools', 'ferretdb'),
    binary: path.join(rootDir, '.tools', 'bin', 'ferretdb'),
  };
}

/** The FerretDB version pinned in tools/ferretdb/go.mod, for progress lines. */
export function ferretDbVersion(sourceDir: string): string {
  try {
    const goMod = fs.readFileSync(path.join(sourceDir, 'go.mod'), 'utf8');
    return /github\.com\/FerretDB\/FerretDB\s+(v\S+)/.exec(goMod)?.[1] ?? 'v1.x';
  } catch {
    return 'v1.x';
  }
}

function mtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why the binary must be (re)built, or undefined if it is up to date. */
function rebuildReason({ sourceDir, binary }: FerretDbPaths): string | undefined {
  const built = mtimeMs(binary);
  if (built === undefined) return 'missing';
  const newer = SOURCE_FILES.filter((f) => (mtimeMs(path.join(sourceDir, f)) ?? 0) > built);
  return newer.length ? `older than tools/ferretdb/${newer.join(', ')}` : undefined;
}

/**
 * Returns the path of .tools/bin/ferretdb, building it first if it is missing or older than its
 * sources. The build goes to a temporary file that is renamed into place, so an interrupted or
 * concurrent build (npm start and a test run at once) never leaves a half-written binary.
 */
export async function ensureFerretDbBinary(ctx: ResolveContext): Promise<string> {
  const paths = ferretDbPaths(ctx.rootDir);
  const reason = rebuildReason(paths);
  if (!reason) return paths.binary;

  const version = ferretDbVersion(paths.sourceDir);
  const go = findExecutable('go', ctx.env);
  if (!go) {
    if (reason !== 'missing') {
      ctx.log(`FerretDB binary is ${reason}, but \`go\` is not on PATH to rebuild it; using it as it is`);
      return paths.binary;
    }
    throw new InfrastructureError(
      `No MongoDB found: MONGO_URL is not set, nothing answers on 127.0.0.1:${ctx.existingMongoPort}, \`mongod\` is not on PATH, ` +
        `and the fallback, FerretDB ${version}, must be built from tools/ferretdb but \`go\` is not on PATH. ` +
        'Install Go >= 1.24 (https://go.dev/dl/), set MONGO_URL, or run `docker compose up -d mongo`.',
    );
  }
  if (!fs.existsSync(path.join(paths.sourceDir, 'main.go'))) {
    throw new InfrastructureError(`FerretDB sources are missing (${paths.sourceDir}/main.go); set MONGO_URL or run \`docker compose up -d mongo\``);
  }

  ctx.log(
    reason === 'missing'
      ? `building FerretDB ${version} from the Go module proxy (first start only, ~1 min)…`
      : `rebuilding FerretDB ${version}: the binary is ${reason}…`,
  );
  fs.mkdirSync(path.dirname(paths.binary), { recursive: true });
  const tmp = `${paths.binary}.tmp-${process.pid}`;
  const logFile = path.join(ctx.dataDir, 'ferretdb-build.log');
  const build = startProcess({
    name: 'go build (FerretDB)',
    command: go,
    args: ['build', '-o', tmp, '.'],
    cwd: paths.sourceDir,
    env: { ...ctx.env, CGO_ENABLED: '0' }, // modernc SQLite is pure Go; no C toolchain needed
    logFile,
  });
  const startedAt = Date.now();
  const seconds = () => Math.round((Date.now() - startedAt) / 1000);
  const progress = setInterval(() => ctx.log(`still building FerretDB (${seconds()} s)…`), PROGRESS_EVERY_MS);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    void build.stop();
  }, BUILD_TIMEOUT_MS);
  const { code, error } = await build.exited;
  clearInterval(progress);
  clearTimeout(killer);

  if (error || code !== 0 || timedOut) {
    fs.rmSync(tmp, { force: true });
    const what = timedOut ? `timed out after ${BUILD_TIMEOUT_MS / 60_000} min` : error ? error.message : `failed (exit code ${code})`;
    throw new InfrastructureError(
      withLogTail(
        `building FerretDB ${version} ${what}. It needs Go >= 1.24 and the Go module proxy (or a warm module cache); ` +
          'alternatively set MONGO_URL or run `docker compose up -d mongo`.',
        logFile,
      ),
    );
  }
  fs.renameSync(tmp, paths.binary);
  ctx.log(`built ${path.relative(ctx.rootDir, paths.binary)} in ${seconds()} s`);
  return paths.binary;
}

const PG_DATABASE = 'ferretdb';

/** Runs a command and resolves with its exit code and stdout (never rejects, never hangs). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

/**
 * FerretDB's backend. PostgreSQL, when one answers on loopback, handles concurrent writers far
 * better than SQLite (which answers SQLITE_BUSY under load) and pushes `_id` equality down to
 * SQL; SQLite files need nothing and stay the fallback. FERRETDB_HANDLER forces one;
 * FERRETDB_POSTGRESQL_URL names the PostgreSQL database (it must exist).
 */
async function chooseBackend(ctx: ResolveContext): Promise<{ handler: 'postgresql'; url: string } | { handler: 'sqlite' }> {
  const forced = ctx.env.FERRETDB_HANDLER;
  if (forced === 'sqlite') return { handler: 'sqlite' };
  if (ctx.env.FERRETDB_POSTGRESQL_URL) return { handler: 'postgresql', url: ctx.env.FERRETDB_POSTGRESQL_URL };
  const psql = findExecutable('psql', ctx.env);
  if (!psql || !(await canConnect('127.0.0.1', 5432, 300))) {
    if (forced === 'postgresql') throw new InfrastructureError('FERRETDB_HANDLER=postgresql but no PostgreSQL answers on 127.0.0.1:5432 (or psql is missing); set FERRETDB_POSTGRESQL_URL');
    return { handler: 'sqlite' };
  }
  const user = ctx.env.PGUSER ?? 'postgres';
  const base = ['-h', '127.0.0.1', '-U', user, '-d', 'postgres', '-tAc'];
  const exists = await run(psql, [...base, `SELECT 1 FROM pg_database WHERE datname = '${PG_DATABASE}'`], ctx.env);
  if (exists.code === 0 && exists.stdout.trim() !== '1') await run(psql, [...base, `CREATE DATABASE ${PG_DATABASE}`], ctx.env);
  const check = await run(psql, ['-h', '127.0.0.1', '-U', user, '-d', PG_DATABASE, '-tAc', 'SELECT 1'], ctx.env);
  if (check.code !== 0) {
    if (forced === 'postgresql') throw new InfrastructureError(`FERRETDB_HANDLER=postgresql but database ${PG_DATABASE} is not reachable as ${user}`);
    return { handler: 'sqlite' };
  }
  return { handler: 'postgresql', url: localPgUrl(user) };
}

const EQUALITY_INDEXES_SQL = fileURLToPath(new URL('./ferretdb-equality-indexes.sql', import.meta.url));

/**
 * Makes equality filters index-served on FerretDB's PostgreSQL backend (the SQL file says how):
 * installs the functions and event triggers, and brings the tables that exist up to date.
 * Idempotent; needs a role that may create event triggers (a superuser, as the local default is).
 * Without it everything still works, only equality reads scan: say so and go on.
 */
export async function installEqualityIndexes(ctx: Pick<ResolveContext, 'env' | 'log'>, pgUrl: string): Promise<boolean> {
  const psql = findExecutable('psql', ctx.env);
  if (!psql) {
    ctx.log('FerretDB: psql is not on PATH, so equality reads cannot be made index-served (they scan)');
    return false;
  }
  const result = await run(psql, ['-d', pgUrl, '-v', 'ON_ERROR_STOP=1', '-qtA', '-f', EQUALITY_INDEXES_SQL], ctx.env, 60_000);
  if (result.code !== 0) {
    ctx.log(`FerretDB: could not install the equality indexes into ${pgUrl.replace(/:[^:@/]*@/, ':***@')} (${result.stderr.trim().split('\n').pop() ?? 'psql failed'}); equality reads will scan`);
    return false;
  }
  return true;
}

/** The fields of a collection whose equality filters are index-served on FerretDB's PostgreSQL. */
export async function equalityIndexedFields(pgUrl: string, database: string, collection: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const psql = findExecutable('psql', env);
  if (!psql) throw new InfrastructureError('psql is not on PATH');
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const r = await run(psql, ['-d', pgUrl, '-qtAc', `SELECT * FROM commerce_equality_indexed_fields(${quote(database)}, ${quote(collection)})`], env);
  if (r.code !== 0) throw new InfrastructureError(`psql failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * A FerretDB that is already running (another `npm start`, a test run) was most likely started by
 * this bootstrap on the local PostgreSQL: make sure its database has the equality indexes too.
 * Nothing is created if that database does not exist (the server then runs on SQLite or elsewhere).
 */
export async function adoptRunningFerretDb(ctx: ResolveContext): Promise<string | undefined> {
  if (ctx.env.FERRETDB_HANDLER === 'sqlite') return undefined;
  const url = ctx.env.FERRETDB_POSTGRESQL_URL ?? (await existingLocalDatabase(ctx));
  return url && (await installEqualityIndexes(ctx, url)) ? url : undefined;
}

async function existingLocalDatabase(ctx: ResolveContext): Promise<string | undefined> {
  const psql = findExecutable('psql', ctx.env);
  if (!psql || !(await canConnect('127.0.0.1', 5432, 300))) return undefined;
  const user = ctx.env.PGUSER ?? 'postgres';
  const exists = await run(psql, ['-h', '127.0.0.1', '-U', user, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${PG_DATABASE}'`], ctx.env);
  return exists.code === 0 && exists.stdout.trim() === '1' ? localPgUrl(user) : undefined;
}

const localPgUrl = (user: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:5432/${PG_DATABASE}`;

/**
 * Starts FerretDB on 127.0.0.1:<mongoPort> over a local PostgreSQL when one is there, else over
 * SQLite files in <dataDir>/ferretdb/ (persistent across starts), and waits until it answers `ping`.
 */
export async function startFerretDb(ctx: ResolveContext): Promise<{ url: string; equalityIndexes?: string }> {
  const binary = await ensureFerretDbBinary(ctx);
  const dbDir = path.join(ctx.dataDir, 'ferretdb');
  fs.mkdirSync(dbDir, { recursive: true }); // FerretDB requires the directory to exist
  const logFile = path.join(ctx.dataDir, 'ferretdb.log');
  const port = ctx.mongoPort;
  // file:///abs/dir/ (percent-encoded): FerretDB requires the trailing slash.
  const sqliteUrl = pathToFileURL(dbDir + path.sep).href;
  const backend = await chooseBackend(ctx);
  // before FerretDB creates anything, so every collection it makes is covered by the trigger
  const indexed = backend.handler === 'postgresql' && (await installEqualityIndexes(ctx, backend.url));
  const backendArgs = backend.handler === 'postgresql' ? ['--handler', 'postgresql', '--postgresql-url', backend.url] : ['--handler', 'sqlite', '--sqlite-url', sqliteUrl];
  const proc = startProcess({
    name: 'FerretDB',
    command: binary,
    args: ['--listen-addr', `127.0.0.1:${port}`, ...backendArgs, '--log-level', 'error'],
    cwd: ctx.dataDir,
    env: ctx.env,
    logFile,
    onUnexpectedExit: ctx.log,
  });
  ctx.track(proc);
  const url = localMongoUrl(port);
  await waitForReady(proc, READY_TIMEOUT_MS, async () => {
    // A cheap TCP check first: the driver would spend its whole selection timeout on a closed port.
    if (!(await canConnect('127.0.0.1', port, 300))) return false;
    await pingMongo(url, 2000);
    return true;
  });
  const where = backend.handler === 'postgresql' ? `PostgreSQL database ${PG_DATABASE}${indexed ? ', equality reads index-served' : ''}` : dbDir;
  ctx.log(`MongoDB: started FerretDB ${ferretDbVersion(ferretDbPaths(ctx.rootDir).sourceDir)} on 127.0.0.1:${port} (data in ${where}, log ${logFile})`);
  return indexed && backend.handler === 'postgresql' ? { url, equalityIndexes: backend.url } : { url };
}
