import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { bucketOf } from '@commerce/storage';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { testInfra, testLogger, uniqueDbName, eventually, TEST_EVENTS } from '@commerce/testing';
import {
  connectEventBus,
  createCommitter,
  emitEvents,
  defineEvent,
  DEDUP_BUCKET_MS,
  listDeadLetters,
  OUTBOX_PRUNE_BUCKET_MS,
  outboxCollection,
  PROCESSED_COLLECTION,
  requestReplay,
  startConsumer,
  startOutboxRelay,
  type EventBus,
  type OutboxEntry,
} from '../src/index.ts';

/** A contract of its own per test, so no other test's events reach these consumers. */
function testContract() {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return defineEvent(`commerce.t${letters}.thing-happened.v1`, z.object({ n: z.number().int() }));
}

let client: MongoClient;
let db: Db;
let bus: EventBus;
const registry = new Registry();

beforeAll(async () => {
  const infra = testInfra();
  client = new MongoClient(infra.mongoUrl);
  await client.connect();
  db = client.db(uniqueDbName('events'));
  await db.collection('things').createIndex({ name: 1 }, { unique: true });
  bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'events-test', registry, consumerDefaults: TEST_EVENTS });
});

afterAll(async () => {
  await bus?.close();
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
});

/** Collects what a durable consumer delivers to its handler. */
async function collect(contract: ReturnType<typeof testContract>, name = `c${Date.now()}`) {
  const seen: Array<{ id: string; n: number }> = [];
  const consumer = await startConsumer({
    bus, db, logger: testLogger, name, contract,
    handle: async (e) => { seen.push({ id: e.id, n: e.data.n }); },
  });
  return { seen, consumer };
}

describe('outbox commit', () => {
  it('publishes the committed events once through the relay', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    const relay = startOutboxRelay({ db, bus, logger: testLogger, sweepIntervalMs: 100_000 });
    const committer = createCommitter(db, relay);
    const id = `thing_${Date.now()}`;
    const r = await committer.commit('things', { _id: id, version: 1, name: `a-${id}` }, [Thing.create({ n: 1 }, { aggregateId: id })]);
    expect(r).toEqual({ ok: true });
    await eventually(async () => seen.length === 1);
    expect(await db.collection('things').findOne({ _id: id as never })).toMatchObject({ version: 1 });
    expect((await outboxCollection(db).findOne({ _id: `things:${id}:1` }))?.status).toBe('published');
    await relay.idle();
    await eventually(() => quiet(consumer.durable)); // every delivery handled: now count
    expect(seen).toHaveLength(1);
    await relay.stop();
    await consumer.stop();
  });

  it('lets only one of two writers commit the same version', async () => {
    const Thing = testContract();
    const committer = createCommitter(db);
    const id = `thing_${Date.now()}_race`;
    await committer.commit('things', { _id: id, version: 1, name: `r-${id}`, v: 'base' }, []);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => committer.commit('things', { _id: id, version: 2, name: `r-${id}`, v: `w${i}` }, [Thing.create({ n: i }, { aggregateId: id })])),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(5);
  });

  it('answers duplicate for a create that hits a unique index, and leaves no entry behind', async () => {
    const committer = createCommitter(db);
    const name = `dup-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => committer.commit('things', { _id: `thing_${Date.now()}_${i}`, version: 1, name }, [])),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'duplicate')).toHaveLength(4);
    expect(await db.collection('things').countDocuments({ name })).toBe(1);
    expect(await outboxCollection(db).countDocuments({ 'state.name': name })).toBe(1);
  });
});

describe('pruning', () => {
  it('deletes consumer claims and published entries past their windows, a time bucket at a time, and keeps the rest', async () => {
    const pruneDb = client.db(uniqueDbName('prune'));
    try {
      const hour = 3600_000;
      const now = Date.now();
      const claim = (id: string, ageMs: number) => ({ _id: id, consumer: 'c', at: new Date(now - ageMs), bucket: bucketOf(now - ageMs, DEDUP_BUCKET_MS) });
      const processed = pruneDb.collection(PROCESSED_COLLECTION);
      await processed.insertMany([claim('old-1', 30 * hour), claim('old-2', 26 * hour), claim('recent', hour), { _id: 'legacy-old', consumer: 'c', at: new Date(now - 30 * hour) }, { _id: 'legacy-recent', consumer: 'c', at: new Date(now - hour) }] as never[]);
      const entry = (id: string, status: 'pending' | 'published', ageMs: number): OutboxEntry => ({
        _id: id, collection: 'things', aggregateId: id, version: 1, state: {}, events: [], createdAt: new Date(now - ageMs), status,
        ...(status === 'published' ? { publishedAt: new Date(now - ageMs), pruneBucket: bucketOf(now - ageMs, OUTBOX_PRUNE_BUCKET_MS) } : {}),
      });
      const outbox = outboxCollection(pruneDb);
      await outbox.insertMany([entry('published-old', 'published', 20 * 60_000), entry('published-recent', 'published', 60_000), entry('pending-old', 'pending', 20 * 60_000)]);
      const relay = startOutboxRelay({ db: pruneDb, bus, logger: testLogger, sweepIntervalMs: 100_000, retentionMs: 10 * 60_000, dedupWindowMs: 24 * hour });
      try {
        await relay.prune();
        expect((await processed.find({}).toArray()).map((d) => d._id).sort()).toEqual(['legacy-recent', 'recent']);
        expect((await outbox.find({}).toArray()).map((d) => d._id).sort()).toEqual(['pending-old', 'published-recent']);
        // two hours later, by bucket (equality deletes): a claim that expired since goes, the rest stays
        await processed.insertMany([claim('expires-soon', 23 * hour), claim('fresh', 0)] as never[]);
        await relay.prune(now + 2 * hour);
        expect((await processed.find({}).toArray()).map((d) => d._id).sort()).toEqual(['fresh', 'legacy-recent', 'recent']);
      } finally {
        await relay.stop();
      }
    } finally {
      await pruneDb.dropDatabase();
    }
  });
});

describe('relay crash recovery', () => {
  it('publishes an event stored before a crash exactly once after restart', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    // the "crashed" process committed but its relay never published
    const committer = createCommitter(db /* no relay: it died before publishing */);
    const id = `thing_${Date.now()}_crash`;
    await committer.commit('things', { _id: id, version: 1, name: `c-${id}` }, [Thing.create({ n: 7 }, { aggregateId: id })]);
    expect((await outboxCollection(db).findOne({ _id: `things:${id}:1` }))?.status).toBe('pending');
    expect(await quiet(consumer.durable)).toBe(true); // nothing was published
    expect(seen).toHaveLength(0);

    const relay = startOutboxRelay({ db, bus, logger: testLogger, graceMs: 0, sweepIntervalMs: 100_000 });
    expect(await relay.sweep()).toBeGreaterThanOrEqual(1);
    await eventually(async () => seen.length === 1);
    // a second sweep (another restart) publishes nothing new
    expect(await relay.sweep()).toBe(0);
    await eventually(() => quiet(consumer.durable));
    expect(seen.map((s) => s.n)).toEqual([7]);
    await relay.stop();
    await consumer.stop();
  });

  it('does not deliver twice when the relay died after publishing but before marking', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    const committer = createCommitter(db);
    const id = `thing_${Date.now()}_half`;
    const event = Thing.create({ n: 8 }, { aggregateId: id });
    await committer.commit('things', { _id: id, version: 1, name: `h-${id}` }, [event]);
    await bus.publish(event); // published, then the relay died before marking the entry
    const relay = startOutboxRelay({ db, bus, logger: testLogger, graceMs: 0, sweepIntervalMs: 100_000 });
    await relay.sweep(); // republishes with the same Nats-Msg-Id: JetStream drops the duplicate
    await eventually(async () => seen.length >= 1);
    await eventually(() => quiet(consumer.durable));
    expect(seen).toHaveLength(1);
    await relay.stop();
    await consumer.stop();
  });

  it('completes a commit whose writer died between the outbox insert and the document write', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    const id = `thing_${Date.now()}_torn`;
    const entry: OutboxEntry = {
      _id: `things:${id}:1`, collection: 'things', aggregateId: id, version: 1,
      state: { _id: id, version: 1, name: `t-${id}` }, events: [Thing.create({ n: 9 }, { aggregateId: id })],
      createdAt: new Date(Date.now() - 60_000), status: 'pending',
    };
    await outboxCollection(db).insertOne(entry);
    const relay = startOutboxRelay({ db, bus, logger: testLogger, sweepIntervalMs: 100_000 });
    await relay.sweep();
    expect(await db.collection('things').findOne({ _id: id as never })).toMatchObject({ name: `t-${id}`, version: 1 });
    await eventually(async () => seen.length === 1);
    await relay.stop();
    await consumer.stop();
  });
});

/** True once a durable consumer has nothing left to deliver and nothing unacknowledged. */
async function quiet(durable: string): Promise<boolean> {
  const info = await bus.jsm.consumers.info(bus.stream, durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe('idempotent consumer', () => {
  it('claims what arrives together with one insert, acks re-publications unhandled, and handles each event once', async () => {
    const Thing = testContract();
    const monitored = new MongoClient(testInfra().mongoUrl, { monitorCommands: true });
    await monitored.connect();
    let claimInserts = 0;
    monitored.on('commandStarted', (ev) => {
      if (ev.commandName === 'insert' && ev.command.insert === PROCESSED_COLLECTION) claimInserts++;
    });
    const handled: number[] = [];
    let first = true;
    const consumer = await startConsumer({
      bus, db: monitored.db(db.databaseName), logger: testLogger, name: `burst${Date.now()}`, contract: Thing,
      handle: async (e) => {
        if (first) {
          first = false;
          await new Promise((r) => setTimeout(r, 300)); // the rest of the burst queues up meanwhile
        }
        handled.push(e.data.n);
      },
    });
    try {
      const events = Array.from({ length: 40 }, (_, n) => Thing.create({ n }, { aggregateId: `b${n}` }));
      await Promise.all(events.map((e) => bus.publish(e)));
      // ten of them published again under other message ids (past JetStream's duplicate window)
      await Promise.all(events.slice(0, 10).map((e) => bus.publishRaw(e.type, JSON.stringify(e), `${e.id}-again`)));
      await eventually(() => quiet(consumer.durable), 10_000);
      expect(handled.slice().sort((a, b) => a - b)).toEqual(events.map((e) => e.data.n));
      expect(claimInserts).toBeLessThan(25); // 50 messages, claimed in a few batches
      expect(await db.collection(PROCESSED_COLLECTION).countDocuments({ consumer: consumer.durable })).toBe(40);
    } finally {
      await consumer.stop();
      await monitored.close();
    }
  });

  it('applies a redelivered event once', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    const event = Thing.create({ n: 3 }, { aggregateId: 'x' });
    // the same event published twice under different message ids (past the dedup window)
    await bus.publishRaw(event.type, JSON.stringify(event), `${event.id}-a`);
    await bus.publishRaw(event.type, JSON.stringify(event), `${event.id}-b`);
    await eventually(async () => seen.length >= 1);
    await eventually(() => quiet(consumer.durable)); // both copies delivered and acked
    expect(seen).toHaveLength(1);
    await consumer.stop();
  });

  it('retries a failing handler with backoff and never acks a failure', async () => {
    const Thing = testContract();
    let calls = 0;
    const effects: number[] = [];
    const consumer = await startConsumer({
      bus, db, logger: testLogger, name: `flaky${Date.now()}`, contract: Thing, backoffMs: [50],
      handle: async (e) => {
        calls += 1;
        if (calls < 3) throw new Error('database hiccup');
        effects.push(e.data.n);
      },
    });
    await bus.publish(Thing.create({ n: 5 }, { aggregateId: 'y' }));
    await eventually(async () => effects.length === 1, 5000);
    expect(calls).toBe(3);
    await consumer.stop();
  });

  it('parks a poisoned message after bounded deliveries, and replays it on request', async () => {
    const Thing = testContract();
    let broken = true;
    let calls = 0;
    const effects: number[] = [];
    const name = `poison${Date.now()}`;
    const consumer = await startConsumer({
      bus, db, logger: testLogger, name, contract: Thing, maxDeliver: 3, backoffMs: [30], replayPollMs: 100,
      handle: async (e) => {
        calls += 1;
        if (broken) throw new Error('cannot handle this one');
        effects.push(e.data.n);
      },
    });
    const event = Thing.create({ n: 11 }, { aggregateId: 'z' });
    await bus.publish(event);
    const letter = await eventually(async () => (await listDeadLetters(db, consumer.durable)).find((l) => l.eventId === event.id));
    expect(letter.status).toBe('parked');
    expect(letter.attempts).toBe(3);
    expect(letter.error).toContain('cannot handle this one');
    await eventually(() => quiet(consumer.durable)); // terminated: nothing left to redeliver
    expect(calls).toBe(3); // not retried forever
    const dlMetric = await registry.getSingleMetricAsString('events_dead_lettered_total');
    expect(dlMetric).toContain(consumer.durable);

    broken = false; // the operator fixed the cause, then replays
    expect(await requestReplay(db, letter._id)).toBe(true);
    await eventually(async () => effects.length === 1);
    await eventually(async () => (await listDeadLetters(db, consumer.durable))[0]?.status === 'replayed');
    expect(effects).toEqual([11]);
    await consumer.stop();
  });

  it('parks a message that breaks its contract at once', async () => {
    const Thing = testContract();
    const effects: unknown[] = [];
    const consumer = await startConsumer({ bus, db, logger: testLogger, name: `bad${Date.now()}`, contract: Thing, handle: async (e) => { effects.push(e); } });
    const bad = { ...Thing.create({ n: 1 }, { aggregateId: 'q' }), data: { n: 'not a number' } };
    await bus.publishRaw(Thing.subject, JSON.stringify(bad), bad.id);
    const letter = await eventually(async () => (await listDeadLetters(db, consumer.durable))[0]);
    expect(letter.error).toContain('contract violation');
    expect(letter.attempts).toBe(1);
    expect(effects).toHaveLength(0);
    await consumer.stop();
  });
});

describe('events without a document (emitEvents)', () => {
  it('publishes straight to JetStream, writing nothing to the database', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    const committer = createCommitter(db);
    const event = Thing.create({ n: 1 }, { aggregateId: `subject_${Date.now()}` });
    expect(await emitEvents(bus, committer, [event])).toBe('published');
    expect(await outboxCollection(db).countDocuments({ aggregateId: event.aggregateId })).toBe(0);
    await eventually(async () => seen.length === 1);
    await eventually(() => quiet(consumer.durable));
    expect(seen).toEqual([{ id: event.id, n: 1 }]);
    await consumer.stop();
  });

  it('commits them to the outbox when the broker does not take them; the relay publishes them once it can, once', async () => {
    const Thing = testContract();
    const { seen, consumer } = await collect(Thing);
    // a real client whose connection is gone: its publishes fail as they do while the broker is away
    const gone = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'events-test-gone', registry: new Registry(), consumerDefaults: TEST_EVENTS });
    await gone.close();
    const relay = startOutboxRelay({ db, bus, logger: testLogger, sweepIntervalMs: 100_000, graceMs: 0 });
    const offline = createCommitter(db); // no relay: the entry waits for the sweep, as after a crash
    const event = Thing.create({ n: 2 }, { aggregateId: `subject_${Date.now()}` });
    expect(await emitEvents(gone, offline, [event])).toBe('queued');
    const entry = await outboxCollection(db).findOne({ aggregateId: event.aggregateId });
    expect(entry).toMatchObject({ _id: `events:${event.id}`, collection: '', status: 'pending' });
    expect(seen).toHaveLength(0);
    // committing the same events again (a retried fallback) keeps the one entry
    await offline.commitEvents([event]);
    expect(await outboxCollection(db).countDocuments({ aggregateId: event.aggregateId })).toBe(1);

    expect(await relay.sweep()).toBeGreaterThanOrEqual(1);
    expect((await outboxCollection(db).findOne({ _id: `events:${event.id}` }))?.status).toBe('published');
    await eventually(async () => seen.length === 1);
    // published again (a mark lost): JetStream's duplicate window drops it
    await bus.publish(event);
    await eventually(() => quiet(consumer.durable));
    expect(seen).toEqual([{ id: event.id, n: 2 }]);
    await relay.stop();
    await consumer.stop();
  });
});

describe('a consumer with an idempotent handler', () => {
  it('stores no claims and runs the handler for every delivery', async () => {
    const Thing = testContract();
    const seen: string[] = [];
    const consumer = await startConsumer({ bus, db, logger: testLogger, name: `idem${Date.now()}`, contract: Thing, idempotentHandler: true, handle: async (e) => void seen.push(e.id) });
    const event = Thing.create({ n: 3 }, { aggregateId: 'x' });
    await bus.publish(event);
    await bus.publish(event, { msgId: `${event.id}-again` }); // a re-publication under another message id
    await eventually(async () => seen.length === 2);
    await eventually(() => quiet(consumer.durable));
    expect(seen).toEqual([event.id, event.id]);
    expect(await db.collection(PROCESSED_COLLECTION).countDocuments({ consumer: consumer.durable })).toBe(0);
    // its lag gauge says so too (what a bench or an alert reads)
    const lag = (await registry.getSingleMetric('events_consumer_pending')!.get()).values.find((v) => v.labels.consumer === consumer.durable);
    expect(lag?.value).toBe(0);
    await consumer.stop();
  });
});
