import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { EventBus } from './bus.ts';
import { MAX_AGE_MS, PULL_EXPIRES_MS } from './bus.ts';
import type { EventContract, EventOf } from './contract.ts';
import { bucketOf } from '@commerce/storage';
import { isDuplicateKeyError } from './outbox.ts';
import type { EventEnvelope } from './envelope.ts';
import { EventDeadLettered } from './contracts/platform/event-dead-lettered.event.ts';
import { tracedConsume } from './tracing.ts';
import { declaresDurable, isEventService } from './nats-permissions.ts';

/**
 * Durable, idempotent JetStream consumer for one event contract.
 *
 * - ack only after the handler's effect is stored; a throwing handler never acks: it naks with
 *   a growing delay (backoff);
 * - de-duplication is one insert into a unique index, made before the handler runs: a claim
 *   record `_id = <durable>:<event id>`. A duplicate key on a message's *first* delivery means
 *   the event was handled before (a re-publication, a replayed stream) and it is acked unhandled.
 *   On a redelivery (delivery count > 1) the earlier attempt failed or died after its claim, so
 *   the handler runs again; handlers keep their own writes idempotent (keyed by the event id or
 *   guarded by versions), which also covers a crash between the effect and the ack. No lookup
 *   precedes the insert, so on every backend the check costs one index-served write;
 * - messages that arrive while a batch is being handled are claimed together, with one
 *   `insertMany`, and handled in stream order;
 * - claims are pruned by time bucket (`bucket`, an hour) once older than the stream keeps events
 *   (`DEDUP_WINDOW_MS`): past that no copy of the event can be delivered again;
 * - after `maxDeliver` failed deliveries, or at once for an event that fails its contract, the
 *   message is parked in `dead_letters` (not lost, not retried forever); an operator lists and
 *   replays them with `npm run dead-letters`.
 *
 * Publishes: `commerce.platform.event-dead-lettered.v1` (`EventDeadLettered`) for every parked
 * message, straight to JetStream (not through an outbox) with `Nats-Msg-Id =
 * dl:<durable>:<event id>`, after the letter is stored and before the message is terminated. If
 * that publish fails the message is nak'ed and redelivered (parking again is an idempotent
 * upsert; the broker drops a second notice within its duplicate window), so the notice is at
 * least once and never lost. It names the order the parked event is about (`data.orderId`, else
 * an `ord_` aggregate id) and carries the error message only, at most 500 characters, with
 * credentials in URLs masked. A parked EventDeadLettered itself is never announced (no loops).
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

/** A consumer's claim on an event: written before the handler runs. */
export interface ProcessedRecord {
  _id: string;
  consumer: string;
  at: Date;
  /** hour number of `at` (pruning by equality, see @commerce/storage time buckets) */
  bucket: number;
}

/** Claims are kept as long as the stream keeps events (plus an hour): no older copy can arrive. */
export const DEDUP_WINDOW_MS = MAX_AGE_MS + 3600_000;
export const DEDUP_BUCKET_MS = 3600_000;
/** most messages claimed with one insert */
const MAX_BATCH = 64;

export interface ConsumerOptions<C extends EventContract> {
  bus: EventBus;
  db: Db;
  logger: Logger;
  /** durable name prefix, e.g. `cart-prices`; one durable per contract is derived from it */
  name: string;
  contract: C;
  /** `logger` carries the event's id, type, correlation and W3C trace id (from the request that caused it) */
  handle: (event: EventOf<C>, ctx: { logger: Logger; /** the message's stream sequence (absent for an operator's replay of a dead letter) */ seq?: number }) => Promise<void>;
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
  /**
   * The handler is idempotent by itself (e.g. analytics counts each fact under a Redis SET NX):
   * no claim is stored per event, which saves a database write per batch; a redelivered or
   * re-published event simply runs the handler again.
   */
  idempotentHandler?: boolean;
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


/**
 * A logger for one event: its id, type and correlation. Lines logged while the handler runs (in
 * its CONSUMER span) carry `trace_id` / `span_id` of that span (the logger's mixin).
 */
export function eventLogger(logger: Logger, event: { id: string; type: string; correlationId: string }): Logger {
  return logger.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId });
}

export function deadLetters(db: Db): Collection<DeadLetter> {
  return db.collection<DeadLetter>(DEAD_LETTER_COLLECTION);
}

/** The longest id taken from a parked payload (event id, correlation id); a longer one is not used. */
const MAX_ID_LENGTH = 200;

/** The longest `error` a dead-letter notice carries. */
export const NOTICE_ERROR_MAX_LENGTH = 500;

/**
 * Nats-Msg-Id of the notice of a parked event: the same for every park of one event by one
 * consumer, so JetStream keeps one notice however often it is parked within its duplicate window.
 * An event id that is not a plain token (a malformed message's) is replaced by its hash: a
 * header value must never fail the publish, or the message would be redelivered forever.
 */
export function deadLetterNoticeMsgId(durable: string, eventId: string): string {
  const id = /^[\w.:-]{1,200}$/.test(eventId) ? eventId : `h-${createHash('sha256').update(eventId).digest('hex').slice(0, 32)}`;
  return `dl:${durable}:${id}`;
}

/** The error message of a notice: one line, credentials in URLs masked, at most 500 characters. */
export function noticeError(message: string): string {
  const line = message.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@').replace(/\s+/g, ' ').trim();
  if (line.length <= NOTICE_ERROR_MAX_LENGTH) return line;
  let cut = line.slice(0, NOTICE_ERROR_MAX_LENGTH - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a surrogate pair
  return `${cut}…`;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The EventDeadLettered notice of a parked letter, or null when the parked event is itself a
 * notice (announcing it would loop). `eventType` is the subject the message arrived on, without
 * the bus namespace. `orderId`: the parked payload's `data.orderId` when it is a string, else its
 * `aggregateId` when that is an order id (`ord_…`), else null. The notice keeps the parked
 * event's correlation (and trace), and names it as its cause.
 */
export function deadLetterNotice(letter: DeadLetter, eventType: string): EventOf<typeof EventDeadLettered> | null {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(letter.payload);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // not JSON: a notice without order, correlation or trace
  }
  if (eventType === EventDeadLettered.type || raw.type === EventDeadLettered.type) return null;
  const data = raw.data && typeof raw.data === 'object' ? (raw.data as Record<string, unknown>) : {};
  const orderId = typeof data.orderId === 'string' ? data.orderId : typeof raw.aggregateId === 'string' && raw.aggregateId.startsWith('ord_') ? raw.aggregateId : null;
  // copied only when of a sane size: a notice must always fit a message, or parking would never end
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : undefined);
  const correlationId = str(raw.correlationId);
  const traceparent = str(raw.traceparent);
  return EventDeadLettered.create(
    {
      consumer: letter.consumer,
      eventId: letter.eventId,
      eventType,
      orderId,
      error: noticeError(letter.error),
      attempts: letter.attempts,
      parkedAt: letter.parkedAt.toISOString(),
    },
    {
      // the dead letter is what the notice is about: its id is what `npm run dead-letters -- replay` takes
      aggregateId: letter._id,
      causationId: raw.id === letter.eventId ? letter.eventId : null,
      ...(correlationId ? { correlationId } : {}),
      ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
      occurredAt: letter.parkedAt,
    },
  );
}

export async function startConsumer<C extends EventContract>(opts: ConsumerOptions<C>): Promise<RunningConsumer> {
  const { bus, db, logger, contract } = opts;
  if (bus.service && isEventService(bus.service) && !declaresDurable(bus.service, opts.name, contract)) {
    // its NATS user could not create it in a deployment: say so here, in every environment
    throw new Error(
      `durable consumer ${opts.name} of ${contract.type} is not declared for ${bus.service} in SERVICE_EVENTS (packages/events/src/nats-permissions.ts): add it there and run npm run nats:config`,
    );
  }
  const durable = durableName(opts.name, contract, db.databaseName);
  const deliverFrom = opts.deliverFrom ?? bus.consumerDefaults.newConsumersFrom;
  const ttl = bus.consumerDefaults.durableTtlMs;
  const maxDeliver = opts.maxDeliver ?? 5;
  const backoff = opts.backoffMs ?? [200, 1000, 5000, 15000];
  const processed = db.collection<ProcessedRecord>(PROCESSED_COLLECTION);
  const parked = deadLetters(db);
  const log = logger.child({ consumer: durable });
  const spanAttrs = { consumer: opts.name, durable, service: bus.service };

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

  /** Runs the handler for an event that must be (re)applied: an operator's replay. */
  async function applyAgain(event: EventOf<C>, eventLog: Logger): Promise<void> {
    if (!opts.idempotentHandler) await claimEvents(processed, durable, [event.id]); // usually claimed already, by the failed deliveries
    await tracedConsume(null, event, spanAttrs, () => opts.handle(event, { logger: eventLog }));
  }
  const namespacePrefix = bus.subject('');
  /**
   * Stores the letter (an idempotent upsert), then announces it (EventDeadLettered, see the top of
   * this file). Throws when either fails: the caller naks, and the redelivery parks it again.
   */
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
    const eventType = msg.subject.startsWith(namespacePrefix) ? msg.subject.slice(namespacePrefix.length) : msg.subject;
    const notice = deadLetterNotice(letter, eventType);
    if (notice) await bus.publish(notice, { msgId: deadLetterNoticeMsgId(durable, eventId) });
    bus.metrics.deadLettered.inc({ consumer: durable, type: contract.type });
    log.error({ eventId, subject: msg.subject, attempts: letter.attempts, error: letter.error, announced: !!notice }, 'event parked as dead letter');
  }

  function parse(msg: JsMsg): { ok: true; event: EventOf<C> } | { ok: false; error: unknown; id: string } {
    let raw: unknown;
    try {
      raw = msg.json();
      return { ok: true, event: contract.parse(raw) as EventOf<C> };
    } catch (err) {
      // a malformed message's own id only when it is of a sane size (it becomes the letter's _id)
      const id = (raw as { id?: unknown } | undefined)?.id;
      return { ok: false, error: err, id: typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : `seq-${msg.seq}` };
    }
  }

  /** A failed delivery: nak with backoff, or park it once it used up its deliveries. */
  async function failed(msg: JsMsg, eventId: string, err: unknown, eventLog: Logger): Promise<void> {
    const attempt = msg.info.deliveryCount;
    if (attempt >= maxDeliver) {
      try {
        await park(msg, eventId, err);
        msg.term();
        bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'dead-letter' });
      } catch (parkErr) {
        log.error({ err: parkErr }, 'could not park (or announce) a failing event; it will be redelivered');
        msg.nak(backoff[backoff.length - 1]);
      }
      return;
    }
    const delay = backoff[Math.min(attempt - 1, backoff.length - 1)] ?? 1000;
    eventLog.warn({ err, attempt, retryInMs: delay }, 'event handler failed; will retry');
    msg.nak(delay);
    bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'retry' });
  }

  /** Handles what arrived together: one claim insert for all, then each handler in stream order. */
  async function onBatch(batch: JsMsg[]): Promise<void> {
    const valid: Array<{ msg: JsMsg; event: EventOf<C> }> = [];
    for (const msg of batch) {
      const parsed = parse(msg);
      if (!parsed.ok) {
        // A message that does not fit its contract will never succeed: park it at once.
        try {
          await park(msg, parsed.id, parsed.error);
          msg.term(); // a reason is ignored by nats-server < 2.10
          bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'dead-letter' });
        } catch (err) {
          log.error({ err }, 'could not park (or announce) a malformed event; it will be redelivered');
          msg.nak(backoff[0]);
        }
        continue;
      }
      valid.push({ msg, event: parsed.event });
    }
    if (valid.length === 0) return;
    let claimedBefore: Set<number>;
    try {
      claimedBefore = opts.idempotentHandler ? new Set() : await claimEvents(processed, durable, valid.map((v) => v.event.id));
    } catch (err) {
      for (const { msg, event } of valid) await failed(msg, event.id, err, eventLogger(log, event));
      return;
    }
    for (const [i, { msg, event }] of valid.entries()) {
      if (claimedBefore.has(i) && msg.info.deliveryCount === 1) {
        msg.ack();
        bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'duplicate' });
        continue;
      }
      const eventLog = eventLogger(log, event);
      try {
        // a CONSUMER span, child of the publish span (message headers); what the handler commits carries it on
        await tracedConsume(msg, event, spanAttrs, () => opts.handle(event, { logger: eventLog, seq: msg.seq }));
        msg.ack();
        bus.metrics.consumed.inc({ consumer: durable, type: contract.type, outcome: 'ok' });
      } catch (err) {
        await failed(msg, event.id, err, eventLog);
      }
    }
  }

  let messages: ConsumerMessages | null = await consumer.consume({ max_messages: opts.serial ? 1 : MAX_BATCH, expires: PULL_EXPIRES_MS });
  let stopped = false;
  // Messages that arrive while a batch is handled wait here and form the next batch.
  const arrived: JsMsg[] = [];
  const idle = () => undefined;
  let wakeWorker: () => void = idle;
  let wakeReader: () => void = idle;
  let reading = true;
  const reader = (async () => {
    for await (const msg of messages!) {
      arrived.push(msg);
      wakeWorker();
      if (arrived.length >= MAX_BATCH) await new Promise<void>((r) => (wakeReader = r));
    }
  })()
    .catch((err) => {
      if (!stopped) log.error({ err }, 'consumer loop ended');
    })
    .finally(() => {
      reading = false;
      wakeWorker();
    });
  const worker = (async () => {
    for (;;) {
      if (arrived.length === 0) {
        if (!reading) return;
        await new Promise<void>((r) => (wakeWorker = r));
        wakeWorker = idle;
        continue;
      }
      const batch = arrived.splice(0, MAX_BATCH);
      wakeReader();
      wakeReader = idle;
      await onBatch(batch);
      // what the stream still held for this durable when the batch's last message was delivered
      // (the pull client's own getPending() counts messages asked for, not the lag)
      bus.metrics.consumerLag.set({ consumer: durable }, batch[batch.length - 1]!.info.pending);
    }
  })().catch((err) => {
    if (!stopped) log.error({ err }, 'consumer worker ended');
  });

  // Replays requested by an operator run the handler again (the failed deliveries claimed the event).
  async function replayRequested(): Promise<void> {
    const letters = await parked.find({ consumer: durable, status: 'replay-requested' }).toArray();
    for (const letter of letters) {
      try {
        const event = contract.parse(JSON.parse(letter.payload)) as EventOf<C>;
        await applyAgain(event, eventLogger(log, event));
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
      wakeReader();
      await reader;
      await worker;
      messages = null;
    },
  };
}

/**
 * Claims events for a consumer with one insert (no lookup first); returns the positions of those
 * claimed before (duplicate key). Any other failure throws: the caller retries the whole batch.
 */
export async function claimEvents(processed: Collection<ProcessedRecord>, durable: string, eventIds: readonly string[], at = new Date()): Promise<Set<number>> {
  const bucket = bucketOf(at, DEDUP_BUCKET_MS);
  try {
    await processed.insertMany(eventIds.map((id) => ({ _id: `${durable}:${id}`, consumer: durable, at, bucket })), { ordered: false });
    return new Set();
  } catch (err) {
    // MongoDB and FerretDB report each failed document of an unordered insert with its position
    const raw = (err as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ index: number; code?: number; err?: { code?: number } }>;
    if (list.length > 0 && list.every((w) => (w.code ?? w.err?.code) === 11000)) return new Set(list.map((w) => w.index));
    if (list.length === 0 && eventIds.length === 1 && isDuplicateKeyError(err)) return new Set([0]);
    throw err;
  }
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
