import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureInfrastructure,
  findRepoRoot,
  InfrastructureError,
  mongoUrlFor,
  pingRedis,
  readNatsInfo,
  USERS_CONF,
  usersOfConf,
  waitForPort,
  type EnsureOptions,
  type Infrastructure,
} from '../src/index.ts';
import { findExecutable, freePort } from '../src/process.ts';

const rootDir = findRepoRoot();
const tempDirs: string[] = [];

function tempDir(prefix = 'infra-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** The environment without the service URLs a global setup may have exported. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['MONGO_URL', 'NATS_URL', 'REDIS_URL'] as const) if (!(key in extra)) delete env[key];
  return env;
}


async function isListening(port: number): Promise<boolean> {
  return waitForPort('127.0.0.1', port, 300).then(
    () => true,
    () => false,
  );
}

/** Options for a run that must not pick up servers someone left on the default ports. */
async function isolated(extra: EnsureOptions = {}): Promise<EnsureOptions & { lines: string[] }> {
  const port = await freePort();
  const lines: string[] = [];
  // SQLite keeps each isolated FerretDB's data in its own temp dir (no shared PostgreSQL database);
  // mongodb-memory-server is marked unavailable (its own test below tries it)
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'mongodb-memory-server.unavailable'), 'test\n');
  return { rootDir, dataDir, env: cleanEnv({ FERRETDB_HANDLER: 'sqlite' }), mongoPort: port, existingMongoPort: port, log: (l) => lines.push(l), lines, ...extra };
}

async function expectInfraError(run: Promise<unknown>, pattern: RegExp): Promise<InfrastructureError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InfrastructureError);
  expect((err as Error).message).toMatch(pattern);
  return err as InfrastructureError;
}

const hasGo = !!findExecutable('go', process.env);
const hasNats = !!findExecutable('nats-server', process.env);
const hasRedis = !!findExecutable('redis-server', process.env);

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('mongoUrlFor', () => {
  it('puts the database before the query and keeps the parameters', () => {
    expect(mongoUrlFor('mongodb://127.0.0.1:27017/?directConnection=true', 'orders')).toBe(
      'mongodb://127.0.0.1:27017/orders?directConnection=true',
    );
    expect(mongoUrlFor('mongodb://h:1/?a=1&b=2', 'db')).toBe('mongodb://h:1/db?a=1&b=2');
  });

  it('works without a path, with a trailing slash, and replaces a database already there', () => {
    expect(mongoUrlFor('mongodb://127.0.0.1:27017', 'orders')).toBe('mongodb://127.0.0.1:27017/orders');
    expect(mongoUrlFor('mongodb://127.0.0.1:27017/', 'orders')).toBe('mongodb://127.0.0.1:27017/orders');
    expect(mongoUrlFor('mongodb://127.0.0.1:27017/other?x=1', 'orders')).toBe('mongodb://127.0.0.1:27017/orders?x=1');
    expect(mongoUrlFor('mongodb+srv://cluster.example.net/', 'orders')).toBe('mongodb+srv://cluster.example.net/orders');
    expect(mongoUrlFor('mongodb://a:1,b:2/?replicaSet=rs0', 'orders')).toBe('mongodb://a:1,b:2/orders?replicaSet=rs0');
  });

  it('keeps the authentication database of a URL with credentials', () => {
    expect(mongoUrlFor('mongodb://u:p@h:27017/', 'orders')).toBe('mongodb://u:p@h:27017/orders?authSource=admin');
    expect(mongoUrlFor('mongodb://u:p@h:27017/users?tls=true', 'orders')).toBe('mongodb://u:p@h:27017/orders?tls=true&authSource=users');
    expect(mongoUrlFor('mongodb://u:p@h/?authSource=x', 'orders')).toBe('mongodb://u:p@h/orders?authSource=x');
  });

  it('rejects invalid database names and non-MongoDB URLs', () => {
    expect(() => mongoUrlFor('mongodb://h/', 'a.b')).toThrow(/invalid MongoDB database name/);
    expect(() => mongoUrlFor('mongodb://h/', '')).toThrow(/invalid MongoDB database name/);
    expect(() => mongoUrlFor('http://h/', 'db')).toThrow(/not a MongoDB connection string/);
  });
});

describe('ensureInfrastructure', () => {
  // One FerretDB for the tests below that need a reachable MONGO_URL.
  let shared: Infrastructure;
  beforeAll(async () => {
    shared = await ensureInfrastructure(await isolated());
  }, 180_000);
  afterAll(() => shared?.stop());

  it('starts FerretDB when no MongoDB is found, reuses the running NATS and Redis, and stops only its own', async () => {
    const opts = await isolated();
    const infra = await ensureInfrastructure(opts);
    const port = opts.mongoPort!;
    try {
      expect(infra.mongoKind).toBe('ferretdb');
      expect(infra.mongoUrl).toBe(`mongodb://127.0.0.1:${port}/?directConnection=true`);
      // without credentials, or the admin's when the running server has the generated users
      expect(infra.natsUrl.replace(/\/\/admin:[^@]+@/, '//')).toBe('nats://127.0.0.1:4222');
      expect(infra.redisUrl).toBe('redis://127.0.0.1:6379');
      expect(fs.existsSync(path.join(opts.dataDir!, 'ferretdb.log'))).toBe(true);
      expect(opts.lines.join('\n')).not.toMatch(/memory-server/); // known unavailable: not tried again

      const client = new MongoClient(mongoUrlFor(infra.mongoUrl, 'infra_test'));
      try {
        const docs = client.db().collection<{ sku: string; qty: number }>('things');
        await docs.insertOne({ sku: 'sku-1', qty: 3 });
        expect(await docs.findOne({ sku: 'sku-1' }, { projection: { _id: 0 } })).toEqual({ sku: 'sku-1', qty: 3 });
      } finally {
        await client.close();
      }

      // A second call finds the server the first one started and owns nothing.
      const again = await ensureInfrastructure({ ...opts, log: () => undefined });
      expect(again.mongoKind).toBe('existing');
      expect(again.mongoUrl).toBe(infra.mongoUrl);
      await again.stop();
      expect(await isListening(port)).toBe(true);
    } finally {
      await infra.stop();
    }
    expect(await isListening(port)).toBe(false);
    await infra.stop(); // idempotent
    expect(await isListening(4222)).toBe(true); // never stops what it did not start
    expect(await isListening(6379)).toBe(true);
  }, 180_000);

  it('puts FerretDB on PostgreSQL when one answers on loopback (else SQLite)', async () => {
    const opts = await isolated({ env: cleanEnv() });
    const pgHere = (await isListening(5432)) && !!process.env.PATH?.split(':').some((d) => fs.existsSync(path.join(d, 'psql')));
    const infra = await ensureInfrastructure(opts);
    try {
      expect(opts.lines.join('\n')).toMatch(pgHere ? /data in PostgreSQL database ferretdb/ : /data in .*ferretdb/);
      const client = new MongoClient(mongoUrlFor(infra.mongoUrl, `infra_pg_${process.pid}`));
      try {
        const coll = client.db().collection<{ _id: string }>('claims');
        await coll.deleteMany({});
        await coll.insertOne({ _id: 'one' });
        await expect(coll.insertOne({ _id: 'one' })).rejects.toMatchObject({ code: 11000 });
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    } finally {
      await infra.stop();
    }
  }, 60_000);

  it('tries mongodb-memory-server, fails fast without internet, falls back to FerretDB in one line, and remembers', async () => {
    const opts = await isolated();
    fs.rmSync(path.join(opts.dataDir!, 'mongodb-memory-server.unavailable'));
    const started = Date.now();
    const printed: unknown[][] = [];
    const [warn, error] = [console.warn, console.error];
    console.warn = (...args: unknown[]) => void printed.push(args);
    console.error = (...args: unknown[]) => void printed.push(args);
    let infra: Infrastructure;
    try {
      infra = await ensureInfrastructure(opts);
    } finally {
      [console.warn, console.error] = [warn, error];
    }
    try {
      // the library's stack trace goes to its log file, not to the console
      expect(printed).toEqual([]);
      expect(fs.readFileSync(path.join(opts.dataDir!, 'mongodb-memory-server.log'), 'utf8')).toMatch(/MongoMemoryServer/);
      const log = opts.lines.join('\n');
      expect(infra.mongoKind).toBe('ferretdb');
      expect(log).toMatch(/mongodb-memory-server (failed|did not start)/);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(fs.existsSync(path.join(opts.dataDir!, 'mongodb-memory-server.unavailable'))).toBe(true);
    } finally {
      await infra.stop();
    }
    // the next start does not spend time on it again
    const again = { ...opts, lines: [] as string[] };
    again.log = (l: string) => again.lines.push(l);
    const second = await ensureInfrastructure(again);
    try {
      expect(again.lines.join('\n')).not.toMatch(/memory-server/);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('keeps FerretDB data across restarts in dataDir', async () => {
    // the SQLite backend keeps its files in dataDir (the PostgreSQL one keeps data in PostgreSQL)
    const opts = await isolated();
    const first = await ensureInfrastructure(opts);
    const url = mongoUrlFor(first.mongoUrl, 'infra_persist');
    let client = new MongoClient(url);
    await client.db().collection<{ _id: string; v: number }>('kept').insertOne({ _id: 'k1', v: 1 });
    await client.close();
    await first.stop();

    const second = await ensureInfrastructure(opts);
    try {
      expect(second.mongoKind).toBe('ferretdb');
      client = new MongoClient(url);
      expect(await client.db().collection('kept').findOne({})).toEqual({ _id: 'k1', v: 1 });
      await client.close();
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('fails within seconds with InfrastructureError when MONGO_URL does not answer', async () => {
    const started = Date.now();
    const err = await expectInfraError(
      ensureInfrastructure({ ...(await isolated()), env: cleanEnv({ MONGO_URL: 'mongodb://user:secret@127.0.0.1:1/' }) }),
      /MONGO_URL=mongodb:\/\/user:\*\*\*@127\.0\.0\.1:1\/ does not answer/,
    );
    expect(err.message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(6_000);
  }, 15_000);

  it('fails fast with InfrastructureError when NATS_URL points to a closed port', async () => {
    const started = Date.now();
    const closed = await freePort();
    await expectInfraError(
      ensureInfrastructure({ ...(await isolated()), env: cleanEnv({ MONGO_URL: shared.mongoUrl, NATS_URL: `nats://127.0.0.1:${closed}` }) }),
      /NATS_URL=nats:\/\/127\.0\.0\.1:\d+ is not usable .*ECONNREFUSED.*set NATS_URL, run `docker compose up -d nats`, or install nats-server/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports every missing service at once and leaves nothing running', async () => {
    const opts = await isolated({ natsPort: await freePort(), redisPort: await freePort() });
    const err = await expectInfraError(
      // PATH without nats-server/redis-server; MongoDB resolves to FerretDB (binary already built), then is stopped.
      ensureInfrastructure({ ...opts, env: { PATH: '/nonexistent' } }),
      /NATS with JetStream is needed[^\n]*\nRedis is needed/,
    );
    expect(err.message).toContain('install redis-server');
    expect(await isListening(opts.mongoPort!)).toBe(false);
  }, 30_000);

  it.skipIf(!hasNats || !hasRedis)('starts nats-server (JetStream) and redis-server from PATH on free ports', async () => {
    const opts = await isolated({ natsPort: await freePort(), redisPort: await freePort() });
    const infra = await ensureInfrastructure({ ...opts, env: cleanEnv({ MONGO_URL: shared.mongoUrl }) });
    try {
      expect(infra.mongoKind).toBe('env');
      // with the generated users (deploy/nats/users.conf) and development passwords: nobody connects
      // without a user; the URL carries the admin's, npm start gives each service its own
      const users = infra.natsUsers!;
      expect(Object.keys(users).sort()).toEqual(usersOfConf(fs.readFileSync(path.join(rootDir, USERS_CONF), 'utf8')).map((u) => u.user).sort());
      expect(infra.natsUrl).toBe(`nats://admin:${users.admin}@127.0.0.1:${opts.natsPort}`);
      expect(infra.redisUrl).toBe(`redis://127.0.0.1:${opts.redisPort}`);
      const info = await readNatsInfo('127.0.0.1', opts.natsPort!);
      expect(info.jetstream).toBe(true);
      expect(info.auth_required).toBe(true);
      await pingRedis(infra.redisUrl);
      expect(fs.existsSync(path.join(opts.dataDir!, 'nats'))).toBe(true);
      expect(fs.statSync(path.join(opts.dataDir!, 'nats-users.json')).mode & 0o077).toBe(0);
      // a second start finds the server with users and knows their passwords (.data/nats-users.json)
      const again = await ensureInfrastructure({ ...opts, env: cleanEnv({ MONGO_URL: shared.mongoUrl }) });
      expect(again.natsUrl).toBe(infra.natsUrl);
      expect(again.natsUsers).toEqual(users);
      await again.stop();
    } finally {
      await infra.stop();
    }
    expect(await isListening(opts.natsPort!)).toBe(false);
    expect(await isListening(opts.redisPort!)).toBe(false);
  }, 30_000);

  it.skipIf(!hasNats)('refuses a NATS server without JetStream', async () => {
    const natsPort = await freePort();
    const { startProcess } = await import('../src/process.ts');
    const dataDir = tempDir();
    const plain = startProcess({ name: 'nats (no JetStream)', command: 'nats-server', args: ['-a', '127.0.0.1', '-p', String(natsPort)], env: process.env, logFile: path.join(dataDir, 'nats.log') });
    try {
      await waitForPort('127.0.0.1', natsPort, 5_000);
      await expectInfraError(
        ensureInfrastructure({ ...(await isolated({ natsPort })), env: cleanEnv({ MONGO_URL: shared.mongoUrl }) }),
        /runs without JetStream: restart it with `-js`/,
      );
    } finally {
      await plain.stop();
    }
  }, 15_000);

  it('uses `mongod` from PATH when there is one (a stand-in that runs FerretDB with mongod flags)', async () => {
    const binDir = tempDir();
    const ferretdb = path.join(rootDir, '.tools', 'bin', 'ferretdb');
    // Translates `--dbpath D --bind_ip H --port P` into FerretDB flags, so the mongod path is
    // exercised on machines without MongoDB.
    fs.writeFileSync(
      path.join(binDir, 'mongod'),
      `#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in --dbpath) d="$2";; --bind_ip) h="$2";; --port) p="$2";; esac; shift 2; done
exec "${ferretdb}" --listen-addr "$h:$p" --sqlite-url "file:$d/" --log-level warn
`,
      { mode: 0o755 },
    );
    const opts = await isolated();
    const infra = await ensureInfrastructure({ ...opts, env: cleanEnv({ PATH: `${binDir}${path.delimiter}${process.env.PATH}` }) });
    try {
      expect(infra.mongoKind).toBe('mongod');
      expect(infra.mongoUrl).toBe(`mongodb://127.0.0.1:${opts.mongoPort}/?directConnection=true`);
      expect(fs.existsSync(path.join(opts.dataDir!, 'mongod'))).toBe(true);
    } finally {
      await infra.stop();
    }
    expect(await isListening(opts.mongoPort!)).toBe(false);
  }, 60_000);
});

describe('FerretDB binary', () => {
  /** A root with a copy of tools/ferretdb and no binary yet. */
  function copiedRoot(): string {
    const root = tempDir('infra-root-');
    fs.cpSync(path.join(rootDir, 'tools', 'ferretdb'), path.join(root, 'tools', 'ferretdb'), { recursive: true });
    return root;
  }

  it('asks for Go (or MONGO_URL / docker compose) when it must be built and `go` is missing', async () => {
    const root = copiedRoot();
    const opts = await isolated({ rootDir: root });
    await expectInfraError(
      ensureInfrastructure({ ...opts, env: cleanEnv({ PATH: '/nonexistent' }) }),
      /`go` is not on PATH\. Install Go >= 1\.24 .*set MONGO_URL, or run `docker compose up -d mongo`/,
    );
  });

  it.skipIf(!hasGo)('is built when missing, reused when current, and rebuilt when its sources are newer', async () => {
    const root = copiedRoot();
    const binary = path.join(root, '.tools', 'bin', 'ferretdb');
    const run = async () => {
      const opts = await isolated({ rootDir: root });
      const infra = await ensureInfrastructure(opts);
      await infra.stop();
      expect(infra.mongoKind).toBe('ferretdb');
      return opts.lines;
    };

    expect((await run()).join('\n')).toMatch(/building FerretDB v1\.24\.2 from the Go module proxy \(first start only, ~1 min\)/);
    expect(fs.existsSync(binary)).toBe(true);

    expect((await run()).join('\n')).not.toMatch(/building/i);

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'tools', 'ferretdb', 'main.go'), later, later);
    expect((await run()).join('\n')).toMatch(/rebuilding FerretDB v1\.24\.2: the binary is older than tools\/ferretdb\/main\.go/);
  }, 600_000);
});
