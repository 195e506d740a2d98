import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { EventBus } from './bus.ts';
import { PULL_EXPIRES_MS } from './bus.ts';
import type { EventContract, EventOf } from './contract.ts';
import { isDuplicateKeyError } from './outbox.ts';
import type { EventEnvelope } from './envelope.ts';

/**
 * Durable, idempotent JetStream consumer for one event contract.
 *
 * - ack only after the handler's effect is stored; a throwing handler never acks: it naks with
 *   a growing delay (backoff);
 * - a processed-event record (unique `_id` = consumer + event id) makes a redelivered event a
 *   no-op, so the effect happens once. Handlers keep their own writes idempotent as well (keyed
 *   by the event id or guarded by versions), which covers a crash between effect and record;
 * - after `maxDeliver` failed deliveries, or at once for an event that fails its contract, the
 *   message is parked in `dead_letters` (not lost, not retried forever); an operator lists and
 *   replays them with `npm run dead-letters`.
 */
export const PROCESSED_COLLECTION = 'processed_events';
export const DEAD_LETTER_COLLECTION = 'dead_letters';

export interface DeadLetter {
  _id: string; // `${consumer}:${eventId}`
  consumer: string;
  subject: string;
  eventId: string;
  payload: string;
  error: string;
  attempts: number;
  parkedAt: Date;
  status: 'parked' | 'replay-requested' | 'replayed';
  replayedAt?: Date;
}

interface ProcessedRecord {
  _id: string;
  consumer: string;
  at: Date;
}

export interface ConsumerOptions<C extends EventContract> {
  bus: EventBus;
  db: Db;
  logger: Logger;
  /** durable name prefix, e.g. `cart-prices`; one durable per contract is derived from it */
  name: string;
  contract: C;
  /** `logger` carries the event's id, type, correlation and W3C trace id (from the request that caused it) */
  handle: (event: EventOf<C>, ctx: { logger: Logger }) => Promise<void>;
  /** deliveries before a failing message is parked (default 5) */
  maxDeliver?: number;
  /** nak delays by attempt, in ms (the last value repeats) */
  backoffMs?: number[];
  /** where a new durable starts: all retained events (default) or only new ones */
  deliverFrom?: 'all' | 'new';
  /** how often parked letters marked for replay are looked for (default 2 s) */
  replayPollMs?: number;
  /**
   * One message at a time across every instance (JetStream max_ack_pending 1): the consumer is
   * then the single writer of what it maintains (e.g. a read model), in stream order.
   */
  serial?: boolean;
}

export interface RunningConsumer {
  durable: string;
  stop(): Promise<void>;
}

/**
 * Durable names are scoped by the consumer's database, so every instance of one deployment of a
 * service shares a durable (queue semantics), and another deployment or a test with its own
 * database gets its own.
 */
export function durableName(name: string, contract: EventContract, scope = ''): string {
  return `${scope ? `${scope.replace(/[^A-Za-z0-9_-]/g, '_')}_` : ''}${name}--${contract.type.replace(/^commerce\./, '').replace(/\.>$/, '.all').replace(/\./g, '-')}`;
}


/** A logger for one event: its id, type and correlation, and the trace id of the request that caused it. */
export function eventLogger(logger: Logger, event: { id: string; type: string; correlationId: string; traceparent?: string }): Logger {
  const traceId = event.traceparent?.split('-')[1];
  return logger.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, ...(traceId ? { traceId } : {}) });
}

export function deadLetters(db: Db): Collection<DeadLetter> {
  return db.collection<DeadLetter>(DEAD_LETTER_COLLECTION);
}

export async function startConsumer<C extends EventContract>(opts: ConsumerOptions<C>): Promise<RunningConsumer> {
  const { bus, db, logger, contract } = opts;
  const durable = durableName(opts.name, contract, db.databaseName);
  const deliverFrom = opts.deliverFrom ?? bus.consumerDefaults.newConsumersFrom;
  const ttl = bus.consumerDefaults.durableTtlMs;
  const maxDeliver = opts.maxDeliver ?? 5;
  const backoff = opts.backoffMs ?? [200, 1000, 5000, 15000];
  const processed = db.collection<ProcessedRecord>(PROCESSED_COLLECTION);
  const parked = deadLetters(db);
  const log = logger.child({ consumer: durable });

  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: bus.subject(contract.subject),
    deliver_policy: deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ...(ttl ? { inactive_threshold: ttl * 1_000_000 } : {}),
    ack_wait: 30_000 * 1_000_000,
    // We park failing messages ourselves (to keep them and count them); the server never drops one.
    max_deliver: -1,
    ...(opts.serial ? { max_ack_pending: 1 } : {}),
  };
  try {
    await bus.jsm.consumers.info(bus.stream, durable);
  } catch {
    await bus.jsm.consumers.add(bus.stream, config);
  }
  const consumer = await bus.js.consumers.get(bus.stream, durable);

  /** Runs the handler once for an event, with the processed-record guard. */
  async function applyOnce(event: EventOf<C>, eventLog: Logger): Promise<'ok' | 'duplicate'> {
    const key = `${durable}:${event.id}`;
    if (await processed.findOne({ _id: key }, { projection: { _id: 1 } })) return 'duplicate';
    await opts.handle(event, { logger: eventLog });
    try {
      await processed.insertOne({ _id: key, consumer: durable, at: new Date() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return 'ok';
  }

  async function park(msg: JsMsg, eventId: string, error: unknown): Promise<void> {
    const letter: DeadLetter = {
      _id: `${durable}:${eventId}`,
      consumer: durable,
      subject: msg.subject,
      eventId,
      payload: msg.string(),
      error: error instanceof ZodError ? `contract violation: ${error.message}` : String((error as Error)?.message ?? error),
      attempts: msg.info.deliveryCount,
      parkedAt: new Date(),
      status: 'parked',
    };
    await parked.replaceOne({ _id: letter._id }, letter, { upsert: true });
    bus.metrics.deadLettered.inc({ consumer: durable, type: contract.type });
    log.error({ eventId, subject: msg.subject, attempts: letter.attempts, error: letter.error }, 'event parked as dead letter');
  }

  async function onMessage(msg: JsMsg): Promise<void> {
    let raw: unknown;
    let event: EventOf<C>;
    try {
      raw = msg.json();
      event = contract.parse(raw) as EventOf<C>;
    } catch (err) {
      // A message that does not fit its contract will never succeed: park it at once.
      const id = (raw as { id?: unknown } | undefined)?.id;
      await park(msg, typeof id === 'string' ? id : `seq-${msg.seq}`, err);
      msg.term(); // a reason is ignored by nats-server < 2.10
      bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'dead-letter' });
      return;
    }
    const eventLog = eventLogger(log, event);
    try {
      const outcome = await applyOnce(event, eventLog);
      msg.ack();
      bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome });
    } catch (err) {
      const attempt = msg.info.deliveryCount;
      if (attempt >= maxDeliver) {
        try {
          await park(msg, event.id, err);
          msg.term();
          bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'dead-letter' });
        } catch (parkErr) {
          log.error({ err: parkErr }, 'could not park a failing event; it will be redelivered');
          msg.nak(backoff[backoff.length - 1]);
        }
        return;
      }
      const delay = backoff[Math.min(attempt - 1, backoff.length - 1)] ?? 1000;
      eventLog.warn({ err, attempt, retryInMs: delay }, 'event handler failed; will retry');
      msg.nak(delay);
      bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'retry' });
    }
  }

  let messages: ConsumerMessages | null = await consumer.consume({ max_messages: opts.serial ? 1 : 64, expires: PULL_EXPIRES_MS });
  let stopped = false;
  const loop = (async () => {
    for await (const msg of messages!) {
      await onMessage(msg);
      bus.metrics.consumerLag.set({ consumer: durable }, messages?.getPending() ?? 0);
    }
  })().catch((err) => {
    if (!stopped) log.error({ err }, 'consumer loop ended');
  });

  // Replays requested by an operator run through the same guard as live deliveries.
  async function replayRequested(): Promise<void> {
    const letters = await parked.find({ consumer: durable, status: 'replay-requested' }).toArray();
    for (const letter of letters) {
      try {
        const event = contract.parse(JSON.parse(letter.payload)) as EventOf<C>;
        await applyOnce(event, eventLogger(log, event));
        await parked.updateOne({ _id: letter._id }, { $set: { status: 'replayed', replayedAt: new Date() } });
        log.info({ eventId: letter.eventId }, 'dead letter replayed');
      } catch (err) {
        await parked.updateOne({ _id: letter._id }, { $set: { status: 'parked', error: String((err as Error).message), parkedAt: new Date() }, $inc: { attempts: 1 } });
        log.warn({ err, eventId: letter.eventId }, 'dead letter replay failed; parked again');
      }
    }
  }
  let replaying: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    replaying = replayRequested().catch((err) => log.warn({ err }, 'dead-letter replay poll failed'));
  }, opts.replayPollMs ?? 2000);
  timer.unref();

  return {
    durable,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await replaying;
      await messages?.close();
      messages = null;
      await loop;
    },
  };
}

/** Operator view: parked letters, newest first, optionally of one consumer. */
export async function listDeadLetters(db: Db, consumer?: string): Promise<DeadLetter[]> {
  return deadLetters(db)
    .find(consumer ? { consumer } : {})
    .sort({ parkedAt: -1 })
    .limit(500)
    .toArray();
}

/** Marks a parked letter for replay; the running consumer picks it up within its poll interval. */
export async function requestReplay(db: Db, id: string): Promise<boolean> {
  const letter = await deadLetters(db).findOne({ _id: id });
  if (!letter || letter.status === 'replayed') return false;
  await deadLetters(db).updateOne({ _id: id }, { $set: { status: 'replay-requested' } });
  return true;
}

export type { EventEnvelope };
