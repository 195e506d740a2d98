import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { DeliverPolicy, AckPolicy } from '@nats-io/jetstream';
import { connectEventBus, createCommitter, defineEvent, ensureOutboxIndexes, startConsumer, startOutboxRelay } from '@commerce/events';
import { createLogger } from '@commerce/platform';
import { cpus } from 'node:os';
import type { Infra } from '../lib/cluster.ts';
import { dbCost, dbCpuMs, type DbCost } from '../lib/db-cost.ts';

const BenchTick = defineEvent('commerce.bench.tick.v1', z.object({ n: z.number().int() }));

export interface EventsSample {
  /** commit (document + outbox entry) → relay → JetStream → durable consumer with the processed-event guard */
  pipeline: number;
  /** what one event of the pipeline cost the database */
  db: DbCost;
  /** plain JetStream: publish with ack, a pull consumer acking each message */
  raw: number;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Events per second through our outbox pipeline, and through bare JetStream on the same servers. */
export async function sampleEvents(infra: Infra, opts: { events: number; concurrency: number; dbName: string }): Promise<EventsSample> {
  const logger = createLogger('bench-events', 'warn');
  const client = new MongoClient(infra.mongoUrl, { monitorCommands: true });
  let commands = 0;
  client.on('commandStarted', () => void commands++);
  const bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'bench-events', registry: new Registry(), consumerDefaults: { newConsumersFrom: 'new', namespace: 'bench' } });
  try {
    const db = client.db(opts.dbName);
    await ensureOutboxIndexes(db);
    const relay = startOutboxRelay({ db, bus, logger });
    const committer = createCommitter(db, relay);
    let handled = 0;
    const consumer = await startConsumer({ bus, db, logger, name: `bench-${randomBytes(3).toString('hex')}`, contract: BenchTick, handle: async () => void handled++ });
    const run = randomBytes(4).toString('hex');
    const commandsBefore = commands;
    const cpuBefore = dbCpuMs();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.events) {
          const n = next++;
          const id = `tick_${run}_${n}`;
          const r = await committer.commit('ticks', { _id: id, version: 1, n }, [BenchTick.create({ n }, { aggregateId: id })]);
          if (!r.ok) throw new Error(`commit failed: ${r.reason}`);
        }
      }),
    );
    await until(() => handled >= opts.events, 120_000);
    const pipeline = (opts.events * 1000) / (performance.now() - t0);
    const cpuAfter = dbCpuMs();
    const cost = dbCost(opts.events, commands - commandsBefore, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, cpus().length);
    await consumer.stop();
    await relay.stop();

    // the same number of messages through bare JetStream
    const subject = bus.subject(`commerce.bench.raw-${run}.v1`);
    const durable = `bench-raw-${run}`;
    await bus.jsm.consumers.add(bus.stream, { durable_name: durable, filter_subject: subject, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New, inactive_threshold: 60_000 * 1_000_000 });
    const rawConsumer = await bus.js.consumers.get(bus.stream, durable);
    let received = 0;
    const messages = await rawConsumer.consume({ max_messages: 64 });
    const reading = (async () => {
      for await (const m of messages) {
        m.ack();
        if (++received >= opts.events) break;
      }
    })();
    const payload = new TextEncoder().encode(JSON.stringify({ n: 0 }));
    const t1 = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (sent < opts.events) {
          sent++;
          await bus.js.publish(subject, payload);
        }
      }),
    );
    await until(() => received >= opts.events, 120_000);
    const raw = (opts.events * 1000) / (performance.now() - t1);
    await messages.close();
    await reading;
    await bus.jsm.consumers.delete(bus.stream, durable).catch(() => undefined);
    return { pipeline, raw, db: cost };
  } finally {
    await client.db(opts.dbName).dropDatabase().catch(() => undefined);
    await client.close();
    await bus.close();
  }
}
