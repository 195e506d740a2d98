import { DeliverPolicy } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { PULL_EXPIRES_MS, type EventBus } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';

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
