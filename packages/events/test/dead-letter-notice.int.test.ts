import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { eventually, testInfra, testLogger, TEST_EVENTS, uniqueDbName, uniqueSuffix } from '@commerce/testing';
import { connectEventBus, defineEvent, listDeadLetters, startConsumer, type ConsumerOptions, type EventBus, type EventContract, type EventOf, type RunningConsumer } from '../src/index.ts';
import { EventDeadLettered } from '../src/contracts/index.ts';

/** A contract of its own per test, so no other test's events reach these consumers. */
function testContract() {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return defineEvent(`commerce.t${letters}.thing-happened.v1`, z.object({ n: z.number().int(), orderId: z.string().optional() }));
}

type Notice = EventOf<typeof EventDeadLettered>;

let client: MongoClient;
let db: Db;
let bus: EventBus;
/** every EventDeadLettered published while this file runs */
const notices: Notice[] = [];
let watcher: RunningConsumer;
const running: RunningConsumer[] = [];

beforeAll(async () => {
  const infra = testInfra();
  client = new MongoClient(infra.mongoUrl);
  await client.connect();
  db = client.db(uniqueDbName('deadletters'));
  bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'dead-letter-notice-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  watcher = await startConsumer({ bus, db, logger: testLogger, name: `watch${uniqueSuffix()}`, contract: EventDeadLettered, handle: async (e) => void notices.push(e) });
});

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await watcher?.stop();
  await bus?.close();
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
});

/** True once a durable consumer has nothing left to deliver and nothing unacknowledged. */
async function quiet(durable: string): Promise<boolean> {
  const info = await bus.jsm.consumers.info(bus.stream, durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/**
 * Waits until every consumer named, then the notice watcher, has handled everything delivered to
 * it. In that order: a notice is in the stream before its message is terminated, so the watcher,
 * asked after the others are quiet, has had every notice delivered and acked.
 */
async function allQuiet(...durables: string[]): Promise<void> {
  await eventually(async () => {
    for (const durable of [...durables, watcher.durable]) if (!(await quiet(durable))) return false;
    return true;
  }, 15_000);
}

const noticesOf = (consumer: string) => notices.filter((n) => n.data.consumer === consumer);

async function start<C extends EventContract>(opts: Omit<ConsumerOptions<C>, 'db' | 'logger' | 'name'>) {
  const c = await startConsumer<C>({ db, logger: testLogger, name: `c${uniqueSuffix()}`, ...opts });
  running.push(c);
  return c;
}

describe('EventDeadLettered', () => {
  it('announces each event parked after maxDeliver exactly once, with its order, and no secret', async () => {
    const Thing = testContract();
    const calls = new Map<string, number>();
    const secretError = `cannot reach mongodb://orders-svc:s3cret-pw@10.0.0.7:27017/orders\n${'x'.repeat(2000)}`;
    const failing = await start({
      bus, contract: Thing, maxDeliver: 3, backoffMs: [30],
      handle: async (e) => {
        calls.set(e.id, (calls.get(e.id) ?? 0) + 1);
        throw new Error(secretError);
      },
    });
    const byData = Thing.create({ n: 1, orderId: 'ord_fromdata' }, { aggregateId: 'pay_1', correlationId: 'req-one' });
    const byAggregate = Thing.create({ n: 2 }, { aggregateId: 'ord_fromaggregate' });
    const noOrder = Thing.create({ n: 3 }, { aggregateId: 'thing_1' });
    for (const e of [byData, byAggregate, noOrder]) await bus.publish(e);

    await eventually(async () => (await listDeadLetters(db, failing.durable)).length === 3, 10_000);
    await allQuiet(failing.durable);

    expect([...calls.values()]).toEqual([3, 3, 3]); // parked, not retried forever
    const mine = noticesOf(failing.durable);
    expect(mine.map((n) => n.data.eventId).sort()).toEqual([byData.id, byAggregate.id, noOrder.id].sort()); // one each
    const of = (id: string) => mine.find((n) => n.data.eventId === id)!;
    expect(of(byData.id).data.orderId).toBe('ord_fromdata');
    expect(of(byAggregate.id).data.orderId).toBe('ord_fromaggregate');
    expect(of(noOrder.id).data.orderId).toBeNull();

    const notice = of(byData.id);
    expect(notice.type).toBe(EventDeadLettered.type);
    expect(notice.data).toMatchObject({ consumer: failing.durable, eventType: Thing.type, attempts: 3 });
    expect(notice.aggregateId).toBe(`${failing.durable}:${byData.id}`); // the letter's id, what a replay takes
    expect(notice.causationId).toBe(byData.id);
    expect(notice.correlationId).toBe('req-one');
    const letter = (await listDeadLetters(db, failing.durable)).find((l) => l.eventId === byData.id)!;
    expect(notice.data.parkedAt).toBe(letter.parkedAt.toISOString());
    // the error message only, capped, credentials masked; the letter itself keeps the whole message
    expect(notice.data.error.length).toBeLessThanOrEqual(500);
    expect(notice.data.error).toMatch(/^cannot reach mongodb:\/\/\*\*\*@10\.0\.0\.7:27017\/orders x+…$/);
    expect(JSON.stringify(notice)).not.toContain('s3cret');
    expect(letter.error).toContain('s3cret');
  });

  it('announces a malformed event (contract violation, not even JSON) when it parks it at once', async () => {
    const Thing = testContract();
    const handled: unknown[] = [];
    const c = await start({ bus, contract: Thing, handle: async (e) => void handled.push(e) });
    const bad = { ...Thing.create({ n: 1 }, { aggregateId: 'pay_9' }), data: { n: 'not a number', orderId: 'ord_malformed' } };
    await bus.publishRaw(Thing.subject, JSON.stringify(bad), bad.id);
    await bus.publishRaw(Thing.subject, 'this is { not json', `garbage-${uniqueSuffix()}`);
    // an id and a correlation id too big to be keys or to be copied (the notice must always fit)
    const huge = { id: 'i'.repeat(300_000), correlationId: 'c'.repeat(300_000), data: { orderId: 'ord_huge' } };
    await bus.publishRaw(Thing.subject, JSON.stringify(huge), `huge-${uniqueSuffix()}`);

    await eventually(async () => (await listDeadLetters(db, c.durable)).length === 3, 10_000);
    await allQuiet(c.durable);

    expect(handled).toHaveLength(0);
    const mine = noticesOf(c.durable);
    expect(mine).toHaveLength(3);
    const big = mine.find((n) => n.data.orderId === 'ord_huge')!;
    expect(big.data.eventId).toMatch(/^seq-\d+$/);
    expect(big.correlationId).toBe(big.id);
    const contract = mine.find((n) => n.data.eventId === bad.id)!;
    expect(contract.data).toMatchObject({ orderId: 'ord_malformed', attempts: 1, eventType: Thing.type });
    expect(contract.data.error).toMatch(/^contract violation: /);
    const garbage = mine.find((n) => n.data.eventId !== bad.id && n !== big)!;
    expect(garbage.data.eventId).toMatch(/^seq-\d+$/);
    expect(garbage.data.orderId).toBeNull();
    expect(garbage.causationId).toBeNull();
  });

  it('publishes once when parking repeats (a lost publish ack), and retries when the publish fails', async () => {
    const Thing = testContract();
    let publishes = 0;
    // 1st notice publish: the broker is unreachable; 2nd: published but the ack is lost; 3rd: fine
    const flaky: EventBus = {
      ...bus,
      async publish(event, opts) {
        publishes += 1;
        if (publishes === 1) throw new Error('NATS timeout');
        await bus.publish(event, opts);
        if (publishes === 2) throw new Error('NATS timeout after publish');
      },
    };
    let calls = 0;
    const c = await start({ bus: flaky, contract: Thing, maxDeliver: 2, backoffMs: [30], handle: async () => { calls += 1; throw new Error('always'); } });
    const event = Thing.create({ n: 7 }, { aggregateId: 'ord_flaky' });
    await bus.publish(event);

    await eventually(async () => publishes >= 3, 10_000);
    await allQuiet(c.durable);

    expect(publishes).toBe(3); // the message was redelivered until the notice went out, then terminated
    expect(calls).toBe(4); // deliveries 1, 2 (parked, announce failed), 3 (announce ack lost), 4 (announced)
    expect(noticesOf(c.durable).map((n) => [n.data.eventId, n.data.orderId])).toEqual([[event.id, 'ord_flaky']]); // JetStream kept one
    const letters = await listDeadLetters(db, c.durable);
    expect(letters.map((l) => [l.eventId, l.attempts])).toEqual([[event.id, 4]]); // one letter, upserted each time
  });

  it('never announces a parked EventDeadLettered (no loops)', async () => {
    const Thing = testContract();
    const source = await start({ bus, contract: Thing, maxDeliver: 1, handle: async () => { throw new Error('source fails'); } });
    // a consumer of the notices that cannot handle them either
    const sink = await start({ bus, contract: EventDeadLettered, maxDeliver: 2, backoffMs: [30], handle: async (e) => { if (e.data.consumer === source.durable) throw new Error('sink fails'); } });
    const event = Thing.create({ n: 1 }, { aggregateId: 'ord_loop' });
    await bus.publish(event);

    // the sink parks the notice about the source's letter, and that parking announces nothing
    const parkedNotice = await eventually(async () => (await listDeadLetters(db, sink.durable))[0], 10_000);
    await allQuiet(source.durable, sink.durable);
    const [notice] = noticesOf(source.durable);
    expect(noticesOf(source.durable)).toHaveLength(1);
    expect(parkedNotice.eventId).toBe(notice!.id);
    expect(noticesOf(sink.durable)).toEqual([]);
    expect(notices.filter((n) => n.data.eventType === EventDeadLettered.type)).toEqual([]);
  });
});
