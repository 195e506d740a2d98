import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';
import { ensureInfrastructure, findRepoRoot, type Infrastructure } from '@commerce/infra';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
    mongoKind: string;
    /** FerretDB on PostgreSQL with the equality indexes: that database's URL; else '' */
    ferretdbPostgresUrl: string;
    natsUrl: string;
    redisUrl: string;
  }
}

let infra: Infrastructure | undefined;
const usersDir = join(findRepoRoot(), '.data', 'test-runs');
const me = join(usersDir, String(process.pid));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts (or finds) MongoDB-compatible server, NATS and Redis once for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  infra = await ensureInfrastructure({ log: (l) => console.error(`[infra] ${l}`) });
  mkdirSync(usersDir, { recursive: true });
  writeFileSync(me, '');
  project.provide('mongoUrl', infra.mongoUrl);
  project.provide('mongoKind', infra.mongoKind);
  project.provide('ferretdbPostgresUrl', infra.ferretdbPostgresUrl ?? '');
  project.provide('natsUrl', infra.natsUrl);
  project.provide('redisUrl', infra.redisUrl);
}

/** Test databases are named `t_<service>_<random>`: drop them so they do not pile up run after run. */
async function dropTestDatabases(): Promise<void> {
  if (!infra) return;
  const client = new MongoClient(infra.mongoUrl, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    const { databases } = await client.db('admin').command({ listDatabases: 1, nameOnly: true });
    for (const { name } of databases as Array<{ name: string }>) if (name.startsWith('t_')) await client.db(name).dropDatabase().catch(() => undefined);
  } catch (err) {
    console.error(`[infra] could not drop test databases: ${(err as Error).message}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Stops what this run started — unless another test run on this machine is still using it
 * (two `npm test` at once): then the server stays up for that run.
 */
export async function teardown(): Promise<void> {
  rmSync(me, { force: true });
  const others = readdirSync(usersDir).filter((f) => alive(Number(f)));
  if (others.length === 0) {
    await dropTestDatabases();
    await infra?.stop();
  } else {
    infra?.detach();
    console.error(`[infra] left running for ${others.length} other test run(s)`);
  }
}
