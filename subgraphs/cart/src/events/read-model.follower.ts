import { PULL_EXPIRES_MS, type EventBus, type EventEnvelope } from '@commerce/events';
import type { Logger } from '@commerce/platform';

/**
 * Follows one subject from a stream sequence on with an ordered (non-durable) consumer, so every
 * instance applies every event to its memory read model — whichever instance's durable consumer
 * stored it. Started from the durable's ack floor + 1 after the stored copy was loaded, it misses
 * nothing: an event at or below the floor was stored before the load, one above it is delivered
 * here. Applies are idempotent, so the overlap is harmless.
 */
export async function followSubject(opts: {
  bus: EventBus;
  subject: string;
  fromSeq: number;
  logger: Logger;
  apply: (event: EventEnvelope) => void;
}): Promise<{ stop(): Promise<void> }> {
  const consumer = await opts.bus.js.consumers.get(opts.bus.stream, { filter_subjects: opts.bus.subject(opts.subject), opt_start_seq: Math.max(1, opts.fromSeq) });
  const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
  let stopped = false;
  const loop = (async () => {
    for await (const msg of messages) {
      try {
        opts.apply(msg.json<EventEnvelope>());
      } catch (err) {
        opts.logger.error({ err, subject: msg.subject, seq: msg.seq }, 'cart read model: event not applied');
      }
    }
  })().catch((err) => {
    if (!stopped) opts.logger.error({ err, subject: opts.subject }, 'cart read model: follower ended');
  });
  return {
    async stop() {
      stopped = true;
      await messages.close();
      await loop;
    },
  };
}
