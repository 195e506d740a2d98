import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { claimEvents, createCommitter, ensureOutboxIndexes, OUTBOX_PRUNE_BUCKET_MS, outboxCollection, pendingEntries, PROCESSED_COLLECTION, type OutboxEntry, type ProcessedRecord, type Versioned } from '@commerce/events';
import { bucketOf, openStorage, type Storage } from '@commerce/storage';
import type { Infra } from '../lib/cluster.ts';

/**
 * The database operations the services run on their hot paths, each timed (one client, one call
 * at a time) at several collection sizes on whatever database the run uses. On MongoDB each is
 * index-served; on FerretDB each must be too (equality indexes, per-backend batch forms), so the
 * cost at 100k documents should be the cost at 1k.
 */
export interface StorageSample {
  sizes: number[];
  /** operation → size → latency percentiles in ms */
  results: Map<string, Map<number, { p50: number; p95: number }>>;
  backend: Storage['backend'];
}

interface Entity extends Versioned {
  email: string;
  customerId: string;
  createdAt: Date;
  name: string;
  address: { line1: string; city: string; postalCode: string; country: string };
  note: string;
}

const STREAM_LENGTH = 10; // events per order stream
const pad = (n: number) => String(n).padStart(7, '0');
const entity = (n: number, size: number): Entity => ({
  _id: `ent_${pad(n)}`,
  version: 1,
  email: `user${n}@example.com`,
  customerId: `cust_${pad(n % Math.max(1, Math.floor(size / 10)))}`,
  createdAt: new Date(1_700_000_000_000 + n * 1000),
  name: `Customer ${n}`,
  address: { line1: `${n} Example Street`, city: 'Springfield', postalCode: '12345', country: 'US' },
  note: 'x'.repeat(120),
});
const publishedEntry = (n: number): OutboxEntry => {
  const at = new Date();
  return { _id: `entities:ent_${pad(n)}:1`, collection: 'entities', aggregateId: `ent_${pad(n)}`, version: 1, state: { _id: `ent_${pad(n)}`, version: 1 }, events: [], createdAt: at, status: 'published', publishedAt: at, pruneBucket: bucketOf(at, OUTBOX_PRUNE_BUCKET_MS) };
};
const streamEntry = (n: number): OutboxEntry => {
  const order = `ord_${pad(Math.floor(n / STREAM_LENGTH))}`;
  const version = (n % STREAM_LENGTH) + 1;
  const at = new Date();
  return { _id: `orders:${order}:${version}`, collection: 'orders', aggregateId: order, version, state: { _id: order, version }, events: [], change: { type: 'STEP', step: version, note: 'x'.repeat(80) }, createdAt: at, status: 'published', publishedAt: at };
};
const claim = (n: number): ProcessedRecord => {
  const at = new Date();
  return { _id: `bench-consumer:evt_${pad(n)}`, consumer: 'bench-consumer', at, bucket: bucketOf(at, 3600_000) };
};

async function grow<T extends Document>(coll: Collection<T>, from: number, to: number, make: (n: number) => T): Promise<void> {
  for (let n = from; n < to; n += 1000) {
    const docs = Array.from({ length: Math.min(1000, to - n) }, (_, i) => make(n + i));
    await coll.insertMany(docs as never, { ordered: false });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

async function time(iterations: number, op: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(20, iterations); i++) await op(-1 - i); // warm-up
  const took: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await op(i);
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

export async function sampleStorage(infra: Infra, opts: { sizes: number[]; iterations: number; dbName: string; say: (s: string) => void }): Promise<StorageSample> {
  const client = new MongoClient(infra.mongoUrl);
  const results: StorageSample['results'] = new Map();
  const record = (op: string, size: number, r: { p50: number; p95: number }) => {
    if (!results.has(op)) results.set(op, new Map());
    results.get(op)!.set(size, r);
  };
  try {
    const db: Db = client.db(opts.dbName);
    await db.dropDatabase();
    const storage = await openStorage(db);
    const entities = db.collection<Entity>('entities');
    await entities.createIndex({ email: 1 }, { unique: true });
    await entities.createIndex({ customerId: 1, createdAt: -1, _id: -1 });
    await ensureOutboxIndexes(db);
    await ensureOutboxIndexes(db, 'order_events');
    const outbox = outboxCollection(db);
    const events = outboxCollection(db, 'order_events');
    const processed = db.collection<ProcessedRecord>(PROCESSED_COLLECTION);
    const marked: string[] = [];
    const committer = createCommitter(db, { enqueue: (e) => void marked.push(e._id) });
    const rnd = (size: number) => Math.floor(Math.random() * size);
    let fresh = 10_000_000; // ids of documents the timed inserts create
    let seeded = 0;

    for (const size of opts.sizes) {
      opts.say(`storage: growing every collection to ${size.toLocaleString('en')} documents…`);
      await grow(entities, seeded, size, (n) => entity(n, size));
      await grow(outbox, seeded, size, publishedEntry);
      await grow(events, seeded, size, streamEntry);
      await grow(processed, seeded, size, claim);
      seeded = size;
      const it = opts.iterations;
      opts.say(`storage: timing ${it} calls of each operation at ${size.toLocaleString('en')}…`);

      record('point lookup findOne({_id})', size, await time(it, () => entities.findOne({ _id: `ent_${pad(rnd(size))}` })));
      record('unique-field lookup findOne({email})', size, await time(it, () => entities.findOne({ email: `user${rnd(size)}@example.com` })));
      record('DataLoader batch of 20 ids', size, await time(it, () => storage.findByIds(entities, Array.from({ length: 20 }, () => `ent_${pad(rnd(size))}`))));
      record("a customer's orders (equality, sort, limit 11)", size, await time(it, () => entities.find({ customerId: `cust_${pad(rnd(Math.floor(size / 10)))}` }).sort({ createdAt: -1, _id: -1 }).limit(11).toArray()));
      record('versioned update (committer.update)', size, await time(it, () =>
        committer.update<Entity, null>('entities', `ent_${pad(rnd(size))}`, (cur) => (cur ? { next: { ...cur, version: cur.version + 1 }, events: [] } : { done: null })),
      ));
      // what the relay does right after: those commits are marked published (not timed here)
      await storage.updateEachById(outbox, marked.splice(0), { $set: { status: 'published', publishedAt: new Date() } }, { status: 'pending' });
      record('insert (insertOne)', size, await time(it, () => entities.insertOne(entity(fresh++, size))));

      // the relay: a batch of 20 entries in flight among `size` published ones
      const inFlight = async () => {
        const at = new Date(Date.now() - 60_000);
        const batch = Array.from({ length: 20 }, () => ({ ...publishedEntry(fresh++), status: 'pending' as const, createdAt: at }));
        await outbox.insertMany(batch);
        return batch.map((e) => e._id);
      };
      const markPublished = (ids: string[]) => storage.updateEachById(outbox, ids, { $set: { status: 'published', publishedAt: new Date() } }, { status: 'pending' });
      // fewer rounds than the other operations: every mark leaves a dead row version behind, and
      // until PostgreSQL's autovacuum (once a minute at most) the pending lookup below visits them
      // — a cost of the writes since the last vacuum, not of the collection's size
      const marks: number[] = [];
      for (let i = 0; i < Math.min(it, 100); i++) {
        const batch = await inFlight(); // committed just before, as the relay sees it
        const t0 = performance.now();
        await markPublished(batch);
        marks.push(performance.now() - t0);
      }
      marks.sort((a, b) => a - b);
      record('outbox: mark a batch of 20 published', size, { p50: percentile(marks, 50), p95: percentile(marks, 95) });
      const pending = await inFlight();
      record('outbox sweep: read the pending entries', size, await time(it, () => pendingEntries(outbox)));
      await markPublished(pending);

      record('consumer de-duplication: claim a new event', size, await time(it, () => claimEvents(processed, 'bench-consumer', [`evt_new_${fresh++}`])));
      record('consumer de-duplication: claim a duplicate', size, await time(it, () => claimEvents(processed, 'bench-consumer', [`evt_${pad(rnd(size))}`])));
      record("one order's stream (event store)", size, await time(it, () =>
        events.find({ aggregateId: `ord_${pad(rnd(Math.floor(size / STREAM_LENGTH)))}` }).sort({ version: 1 }).project({ change: 1, version: 1 }).toArray(),
      ));
    }
    await db.dropDatabase();
    return { sizes: opts.sizes, results, backend: storage.backend };
  } finally {
    await client.close().catch(() => undefined);
  }
}
