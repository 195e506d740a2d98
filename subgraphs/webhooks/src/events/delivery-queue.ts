import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Db } from 'mongodb';
import { durableName, PULL_EXPIRES_MS, type EventBus } from '@commerce/events';
import { WebhookDeliveryRequested } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { DeliveryQueue, DeliveryWork } from '../domain/deps.ts';
import type { StepOutcome } from '../domain/deliver.ts';

const ms = (n: number) => n * 1_000_000; // JetStream durations are nanoseconds

export interface RunningDeliveryQueue extends DeliveryQueue {
  durable: string;
  /** work items being handled by this instance now */
  inFlight(): number;
  stop(): Promise<void>;
}

/**
 * The delivery queue: JetStream, one work item per delivery (and replay generation), published on
 * the event stream (`commerce.webhooks.delivery-requested.v1`, `Nats-Msg-Id` = `<delivery>:<generation>`)
 * and pulled by the durable `webhooks-deliveries` that every instance shares. A worker runs one
 * step of the delivery; a retry is `nak(delay)` — JetStream redelivers the item after the backoff,
 * to any instance — and an item is acked once the delivery has reached a final state. Nothing is
 * polled and nothing scans the log; the queue survives restarts of the service, the broker
 * (file storage) and the database (a step that cannot read or write naks and comes back).
 * At most `concurrency` steps run at once per instance.
 */
export async function startDeliveryQueue(opts: {
  bus: EventBus;
  db: Db;
  logger: Logger;
  concurrency: number;
  /** ack wait: longer than a step can take (the delivery timeout plus the database writes) */
  ackWaitMs: number;
  step: (work: DeliveryWork, attempt: number) => Promise<StepOutcome>;
}): Promise<RunningDeliveryQueue> {
  const { bus, logger } = opts;
  const durable = durableName('webhooks-deliveries', WebhookDeliveryRequested, opts.db.databaseName);
  const ttl = bus.consumerDefaults.durableTtlMs;
  const log = logger.child({ consumer: durable });
  try {
    await bus.jsm.consumers.info(bus.stream, durable);
  } catch {
    await bus.jsm.consumers.add(bus.stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: bus.subject(WebhookDeliveryRequested.subject),
      deliver_policy: bus.consumerDefaults.newConsumersFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      ...(ttl ? { inactive_threshold: ms(ttl) } : {}),
      ack_wait: ms(opts.ackWaitMs),
      // retries wait as nak'ed items, which count as pending acks: room for many endpoints' backlogs
      max_ack_pending: 100_000,
      // the step decides when a delivery is over (its retry window); the server never drops an item
      max_deliver: -1,
    });
  }
  const consumer = await bus.js.consumers.get(bus.stream, durable);
  let messages: ConsumerMessages | null = await consumer.consume({ max_messages: opts.concurrency, expires: PULL_EXPIRES_MS });
  let stopped = false;
  let running = 0;
  let freed: (() => void) | null = null;
  const active = new Set<Promise<void>>();

  async function handle(msg: JsMsg): Promise<void> {
    let work: DeliveryWork;
    try {
      work = WebhookDeliveryRequested.parse(msg.json()).data;
    } catch (err) {
      log.error({ err, seq: msg.seq }, 'malformed delivery work item dropped');
      msg.term();
      return;
    }
    try {
      // the ack wait (delivery timeout + 10 s) counts from here, not from when the message was
      // pulled: a message that waited for a free slot is not redelivered to another worker mid-step
      msg.working();
      const outcome = await opts.step(work, msg.info.deliveryCount);
      if (outcome.done) msg.ack();
      else msg.nak(Math.max(1, Math.round(outcome.retryInMs)));
    } catch (err) {
      // the database or Redis is away: try again soon (the delivery record decides what is left to do)
      log.warn({ err, deliveryId: work.deliveryId }, 'delivery step failed; retrying');
      msg.nak(Math.min(30_000, 1000 * Math.min(msg.info.deliveryCount, 30)));
    }
  }

  const loop = (async () => {
    for await (const msg of messages!) {
      // pulled but not started when the queue stops: back to the server at once, for another instance
      if (stopped) {
        msg.nak();
        continue;
      }
      while (running >= opts.concurrency) await new Promise<void>((r) => (freed = r));
      running++;
      const p = handle(msg).finally(() => {
        running--;
        active.delete(p);
        const f = freed;
        freed = null;
        f?.();
      });
      active.add(p);
    }
  })().catch((err) => {
    if (!stopped) log.error({ err }, 'delivery queue loop ended');
  });

  return {
    durable,
    inFlight: () => running,
    async enqueue(work) {
      await bus.publish(WebhookDeliveryRequested.create(work, { aggregateId: work.deliveryId }), { msgId: `${work.deliveryId}:${work.generation}` });
    },
    async stop() {
      stopped = true;
      await messages?.close().catch(() => undefined);
      messages = null;
      await loop;
      await Promise.allSettled([...active]);
    },
  };
}
