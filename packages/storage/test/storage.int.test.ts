import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra, uniqueDbName } from '@commerce/testing';
import { mapLimit, openStorage, storageBackend, type Storage } from '../src/index.ts';

/** Against the real test server: the same answers on every backend, in the form each serves from an index. */
let client: MongoClient;
let db: Db;
let storage: Storage;
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  client = new MongoClient(testInfra().mongoUrl, { monitorCommands: true });
  client.on('commandStarted', (ev) => commands.push(ev));
  await client.connect();
  db = client.db(uniqueDbName('storage'));
  storage = await openStorage(db);
  const things = db.collection('things');
  await things.createIndex({ owner: 1 });
  await things.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `t${i}` as never, owner: `o${i % 5}`, status: i < 10 ? 'pending' : 'done', n: i })));
});
afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
});

const on = (name: string, coll: string) => commands.filter((c) => c.commandName === name && c.command[name] === coll);

describe('storage', () => {
  it('knows the backend: FerretDB says so in buildInfo', async () => {
    const info = await db.admin().command({ buildInfo: 1 });
    expect(await storageBackend(db)).toBe(typeof info.ferretdbVersion === 'string' ? 'ferretdb' : 'mongodb');
    expect(storage.backend).toBe(await storageBackend(db));
  });

  it('reads a batch of ids once each (duplicates once, missing ones absent), one $in on MongoDB, one {_id} lookup per id on FerretDB', async () => {
    commands.length = 0;
    const docs = await storage.findByIds<{ _id: string; n: number }>(db.collection('things'), ['t3', 't7', 't3', 'missing', 't29'], { projection: { n: 1 } });
    expect(docs.map((d) => d._id).sort()).toEqual(['t29', 't3', 't7']);
    expect(docs.find((d) => d._id === 't7')).toEqual({ _id: 't7', n: 7 });
    const finds = on('find', 'things');
    if (storage.backend === 'mongodb') {
      expect(finds).toHaveLength(1);
      expect(finds[0]!.command.filter).toEqual({ _id: { $in: ['t3', 't7', 'missing', 't29'] } });
    } else {
      expect(finds.map((f) => f.command.filter).sort((a, b) => String(a._id).localeCompare(String(b._id)))).toEqual([{ _id: 'missing' }, { _id: 't29' }, { _id: 't3' }, { _id: 't7' }]);
    }
  });

  it('reads every document of a batch of values of an indexed field', async () => {
    const docs = await storage.findByValues<{ _id: string; owner: string }>(db.collection('things'), 'owner', ['o1', 'o3', 'nobody']);
    expect(docs.map((d) => d._id).sort()).toEqual(['t1', 't11', 't13', 't16', 't18', 't21', 't23', 't26', 't28', 't3', 't6', 't8']);
    expect(await storage.findByValues(db.collection('things'), 'owner', [])).toEqual([]);
  });

  it('updates each id among the narrowed documents only, never with a multi-statement write on FerretDB', async () => {
    for (const ids of [['t1', 't2', 't12', 'missing'], ['t3', 't4', 't5', 't6', 't7', 't8', 't9', 't13', 't14', 'missing']]) {
      commands.length = 0;
      await storage.updateEachById(db.collection('things'), ids, { $set: { marked: true } }, { status: 'pending' });
      const updates = on('update', 'things');
      if (storage.backend === 'mongodb') expect(updates).toHaveLength(1);
      else {
        for (const u of updates) expect(u.command.updates).toHaveLength(1);
        expect(updates).toHaveLength(ids.length); // one index-served update per id
      }
    }
    const marked = await db.collection('things').find({ marked: true }).toArray();
    expect(marked.map((d) => d._id).sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']); // t12-t14 are not pending
  });

  it('keeps at most `limit` calls in flight and the results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (ms) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms * 3));
      inFlight--;
      return ms * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });
});
