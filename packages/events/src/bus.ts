import { connect, type NatsConnection } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import type { EventEnvelope } from './envelope.ts';
import { eventMetrics, type EventMetrics } from './metrics.ts';

/**
 * How long one pull request waits on the server. A pull outstanding when the broker restarts is
 * lost; the next one is issued when this runs out — so it bounds how long consumers stay idle
 * after a NATS restart (the library's default is 30 s).
 */
export const PULL_EXPIRES_MS = 5000;

/** The one stream that carries every domain event of the platform. */
export const STREAM_NAME = 'COMMERCE';
export const STREAM_SUBJECTS = ['commerce.>'];
const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** how long the stream keeps events (the horizon of any redelivery or replay) */
export const MAX_AGE_MS = 7 * 24 * 3600_000;
const ms = (n: number) => n * 1_000_000; // JetStream durations are nanoseconds

export interface ConsumerDefaults {
  /** where a durable consumer created for the first time starts: every retained event, or new ones */
  newConsumersFrom: 'all' | 'new';
  /** delete a durable consumer after this long without a client (test runs); unset = keep */
  durableTtlMs?: number;
  /**
   * Isolates a deployment's events on a shared NATS: its own stream (`COMMERCE_<NS>`) and subjects
   * prefixed `<ns>.` — e.g. test runs (`test`) never reach a development platform, nor it them.
   */
  namespace?: string;
}

/** The stream of a namespace (none: the platform's `COMMERCE`). */
export function streamNameFor(namespace?: string): string {
  return namespace ? `${STREAM_NAME}_${namespace.toUpperCase()}` : STREAM_NAME;
}

export interface EventBus {
  consumerDefaults: ConsumerDefaults;
  /** this bus's stream */
  stream: string;
  /** the NATS subject of an event type (or subject filter) in this bus's namespace */
  subject(typeOrFilter: string): string;
  /** publishes a raw payload under an event type (tests: re-deliveries, malformed messages) */
  publishRaw(type: string, payload: string, msgId: string): Promise<void>;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  metrics: EventMetrics;
  /**
   * Publishes an event straight to JetStream and waits for its ack. `Nats-Msg-Id` is the event id,
   * or `msgId` when given (JetStream drops a second publish with the same id within its window).
   */
  /** resolves once JetStream stored it (`timeoutMs`: how long to wait for that ack, default the client's) */
  publish(event: EventEnvelope, opts?: { msgId?: string; timeoutMs?: number }): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface EventBusOptions {
  natsUrl: string;
  name: string;
  registry: Registry;
  consumerDefaults?: ConsumerDefaults;
  /** copies of the stream kept by a NATS cluster (1 on a single server; 3 on a cluster of 3) */
  streamReplicas?: number;
}

/** Idempotent: creates the stream, or updates it when it exists. */
export async function ensureStream(jsm: JetStreamManager, namespace?: string, replicas = 1): Promise<void> {
  const name = streamNameFor(namespace);
  const config = {
    name,
    subjects: namespace ? STREAM_SUBJECTS.map((s) => `${namespace}.${s}`) : STREAM_SUBJECTS,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: ms(DUPLICATE_WINDOW_MS),
    max_age: ms(MAX_AGE_MS),
    num_replicas: replicas,
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
    await jsm.streams.add(config);
  }
}

export async function connectEventBus(opts: EventBusOptions): Promise<EventBus> {
  const nc = await connect({ servers: opts.natsUrl, name: opts.name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5000 });
  const jsm = await jetstreamManager(nc);
  const namespace = opts.consumerDefaults?.namespace;
  if (namespace && !/^[a-z][a-z0-9]{0,15}$/.test(namespace)) throw new Error(`bad events namespace "${namespace}": lower-case letters and digits`);
  await ensureStream(jsm, namespace, opts.streamReplicas ?? 1);
  const js = jetstream(nc, { timeout: 5000 });
  const metrics = eventMetrics(opts.registry);
  const subject = (t: string) => (namespace ? `${namespace}.${t}` : t);
  return {
    consumerDefaults: opts.consumerDefaults ?? { newConsumersFrom: 'all' },
    stream: streamNameFor(namespace),
    subject,
    async publishRaw(type, payload, msgId) {
      await js.publish(subject(type), payload, { msgID: msgId });
    },
    nc,
    js,
    jsm,
    metrics,
    async publish(event, opts) {
      const h = natsHeaders();
      // Nats-Msg-Id = event id: JetStream drops a re-publish of the same event within the window.
      if (event.traceparent) h.set('traceparent', event.traceparent);
      await js.publish(subject(event.type), JSON.stringify(event), { msgID: opts?.msgId ?? event.id, headers: h, ...(opts?.timeoutMs ? { timeout: opts.timeoutMs } : {}) });
      metrics.published.inc({ type: event.type });
    },
    async ping() {
      if (nc.isClosed()) throw new Error('NATS connection closed');
      await nc.flush();
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/**
 * Erases messages from the bus's stream by sequence (their content overwritten, not only
 * unlinked): what a customer asked to be forgotten must not wait for the stream's max age.
 * A message gone already (aged out, erased before) is fine. Returns how many were erased.
 */
export async function eraseStreamMessages(bus: Pick<EventBus, 'jsm' | 'stream'>, seqs: readonly number[]): Promise<number> {
  let erased = 0;
  for (const seq of seqs) {
    try {
      if (await bus.jsm.streams.deleteMessage(bus.stream, seq, true)) erased++;
    } catch (err) {
      if (!/no message found/i.test(String((err as Error).message))) throw err;
    }
  }
  return erased;
}
