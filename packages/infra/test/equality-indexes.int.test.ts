import { execFile } from 'node:child_process';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra, uniqueDbName } from '@commerce/testing';
import { storageBackend } from '@commerce/storage';
import { equalityIndexedFields } from '../src/index.ts';

/**
 * The equality indexes that make FerretDB's pushed-down equality filters index-served on
 * PostgreSQL (packages/infra/src/ferretdb-equality-indexes.sql). They exist only there: against
 * real MongoDB nothing of it runs.
 */
let client: MongoClient;
let db: Db;
let backend: 'mongodb' | 'ferretdb';
const pgUrl = () => testInfra().ferretdbPostgresUrl;

function psql(sql: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('psql', ['-d', pgUrl(), '-qtAc', sql], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(String(stdout).trim()))),
  );
}

/** Real MongoDB, or FerretDB forced onto SQLite: the only two reasons for no equality indexes. */
function notOnPostgres(): boolean {
  if (pgUrl()) return false;
  expect(backend === 'mongodb' || process.env.FERRETDB_HANDLER === 'sqlite', 'FerretDB runs without its equality indexes').toBe(true);
  return true;
}

beforeAll(async () => {
  client = new MongoClient(testInfra().mongoUrl);
  await client.connect();
  db = client.db(uniqueDbName('eqidx'));
  backend = await storageBackend(db);
});
afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
});

describe('equality indexes', () => {
  it('exist only for FerretDB on PostgreSQL', async () => {
    if (backend === 'mongodb') expect(pgUrl()).toBe('');
    else expect(testInfra().mongoKind === 'ferretdb' || testInfra().mongoKind === 'existing').toBe(true);
  });

  it('follow the leading field of every index a service creates or drops, at once', async () => {
    if (notOnPostgres()) return;
    const things = db.collection('things');
    await things.createIndex({ status: 1, createdAt: 1 });
    await things.createIndex({ email: 1 }, { unique: true });
    await things.createIndex({ 'address.city': 1 });
    expect(await equalityIndexedFields(pgUrl(), db.databaseName, 'things')).toEqual(['_id', 'email', 'status']);
    await things.dropIndex('email_1');
    expect(await equalityIndexedFields(pgUrl(), db.databaseName, 'things')).toEqual(['_id', 'status']);
    // a collection created implicitly by its first insert gets its `_id` one too
    await db.collection('implicit').insertOne({ _id: 'x' as never });
    expect(await equalityIndexedFields(pgUrl(), db.databaseName, 'implicit')).toEqual(['_id']);
  });

  it('serve the filter FerretDB pushes down, as the prepared statement it sends', async () => {
    if (notOnPostgres()) return;
    const coll = db.collection('served');
    await coll.createIndex({ customerId: 1 });
    await coll.insertMany(Array.from({ length: 3000 }, (_, i) => ({ _id: `o${i}` as never, customerId: `c${i % 300}`, note: 'x'.repeat(100) })));
    const table = await psql(`SELECT _jsonb->>'table' FROM "${db.databaseName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'served'`);
    await psql(`ANALYZE "${db.databaseName}"."${table}"`);
    // FerretDB's statement: the field is a parameter; custom plans (plan_cache_mode) see it
    const plan = await psql(
      `SET plan_cache_mode = force_custom_plan; PREPARE q(text, jsonb) AS SELECT _jsonb FROM "${db.databaseName}"."${table}" WHERE _jsonb->$1 @> $2; ` +
        `EXPLAIN (COSTS OFF) EXECUTE q('customerId', '"c7"'); EXPLAIN (COSTS OFF) EXECUTE q('_id', '"o42"')`,
    );
    expect(plan).not.toContain('Seq Scan');
    expect(plan.match(/Bitmap Index Scan on eq_/g)).toHaveLength(2);
    // and through FerretDB, the answers are those of a scan
    expect((await coll.find({ customerId: 'c7' }).toArray()).map((d) => d._id).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `o${7 + 300 * k}`).sort());
  });
});
