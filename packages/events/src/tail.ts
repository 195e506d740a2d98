import { DeliverPolicy } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { PULL_EXPIRES_MS, type EventBus } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import type { Committer, OutboxEntry } from './outbox.ts';

/**
 * An in-memory read model of one instance: follows `subject` from now on, loads the stored state,
 * then applies the events that arrived during the load and every one after. Following first is
 * what makes it miss nothing: a change committed during the load is in the load, in the buffer, or
 * both — so `apply` must be idempotent (a version check), which also makes an instance's own
 * events, arriving after it applied its own commit, harmless.
 *
 * With `own`, the instance's own commits of a collection are applied the moment they are made
 * (before the command that made them returns), so what an instance wrote it reads at once.
 */
export async function startReadModel(opts: {
  bus: EventBus;
  subject: string;
  logger: Logger;
  load: () => Promise<void>;
  apply: (event: EventEnvelope) => void | Promise<void>;
  own?: { committer: Committer; collection: string; apply: (state: OutboxEntry['state']) => void };
  /** for the "loaded" log line, e.g. `{ name: 'availability', size: () => view.size }` */
  describe?: { name: string; size: () => number };
}): Promise<{ stop(): Promise<void> }> {
  const started = Date.now();
  const own = opts.own;
  const stopListening = own ? own.committer.onCommitted((entry) => entry.collection === own.collection && own.apply(entry.state)) : () => undefined;
  let buffer: EventEnvelope[] | null = [];
  let tail: { stop(): Promise<void> };
  try {
    tail = await tailEvents({
      bus: opts.bus,
      subject: opts.subject,
      logger: opts.logger,
      handle: async (event) => {
        if (buffer) buffer.push(event);
        else await opts.apply(event);
      },
    });
  } catch (err) {
    stopListening();
    throw err;
  }
  try {
    await opts.load();
    // drained in a loop: events may still arrive while the buffer is applied
    while (buffer.length) {
      const pending = buffer;
      buffer = [];
      for (const e of pending) await opts.apply(e);
    }
    buffer = null;
  } catch (err) {
    stopListening();
    await tail.stop();
    throw err;
  }
  if (opts.describe) opts.logger.info({ size: opts.describe.size(), ms: Date.now() - started }, `${opts.describe.name} read model loaded`);
  return {
    async stop() {
      stopListening();
      await tail.stop();
    },
  };
}

/**
 * Follows a subject (e.g. `commerce.catalog.>`) with an ordered, non-durable consumer, from now on.
 * Used for per-instance in-memory read models: each instance sees every event, in stream order,
 * and rebuilds from its database at start, so nothing needs to be acknowledged or remembered.
 * Handlers must be idempotent (version checks): events an instance produced itself arrive too.
 */
export async function tailEvents(opts: {
  bus: EventBus;
  subject: string;
  logger: Logger;
  handle: (event: EventEnvelope) => void | Promise<void>;
}): Promise<{ stop(): Promise<void> }> {
  const consumer = await opts.bus.js.consumers.get(opts.bus.stream, { filter_subjects: opts.bus.subject(opts.subject), deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
  let stopped = false;
  const loop = (async () => {
    for await (const msg of messages) {
      try {
        await opts.handle(msg.json<EventEnvelope>());
      } catch (err) {
        opts.logger.error({ err, subject: msg.subject }, 'read-model event handler failed');
      }
    }
  })().catch((err) => {
    if (!stopped) opts.logger.error({ err }, 'event tail ended');
  });
  return {
    async stop() {
      stopped = true;
      await messages.close();
      await loop;
    },
  };
}
