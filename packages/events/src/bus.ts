import { connect, type NatsConnection } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import type { EventEnvelope } from './envelope.ts';
import { eventMetrics, type EventMetrics } from './metrics.ts';
import { tracedPublish } from './tracing.ts';

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
  /**
   * The service whose NATS user this bus connects as (`SERVICE_EVENTS` in nats-permissions.ts):
   * `startConsumer` refuses a durable consumer the table does not declare for it. Unset: no check.
   */
  service?: string;
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
  /**
   * NATS user and password (NATS_USER / NATS_PASSWORD); credentials in `natsUrl`
   * (`nats://user:password@host:4222`) are used when these are not given. With a user, the
   * connection's inboxes are `_INBOX.<user>.…`, the only replies its permissions let it receive.
   */
  user?: string;
  pass?: string;
  /** the service this bus belongs to (see EventBus.service) */
  service?: string;
  /** told when the stream's stored configuration differs from the wanted one and this user may not update it */
  onWarning?: (details: Record<string, unknown>, message: string) => void;
}

/** A user's inbox prefix: its replies (API answers, pulled messages) arrive under `_INBOX.<user>.`. */
export function inboxPrefixOf(user: string): string {
  return `_INBOX.${user}`;
}

/**
 * The servers of a NATS URL list ("nats://a:4222,nats://b:4222") without credentials, and the
 * credentials: explicit ones first, else the first `user:password@` found in the URLs (the
 * client library ignores credentials in server URLs).
 */
export function natsConnectionOptions(natsUrl: string, creds: { user?: string; pass?: string } = {}): { servers: string[]; user?: string; pass?: string; inboxPrefix?: string } {
  let user = creds.user || undefined;
  let pass = creds.pass;
  const servers = natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((server) => {
      const url = new URL(server.includes('://') ? server : `nats://${server}`);
      if (url.username && !user) {
        user = decodeURIComponent(url.username);
        pass = decodeURIComponent(url.password);
      }
      return `${url.protocol}//${url.host}`;
    });
  return { servers, ...(user ? { user, pass: pass ?? '', inboxPrefix: inboxPrefixOf(user) } : {}) };
}

/** The stream's wanted configuration changed and this user may not update it (no STREAM.UPDATE permission). */
export class StreamOutdatedError extends Error {
  override name = 'StreamOutdatedError';
  constructor(
    readonly stream: string,
    readonly fields: string[],
    options: { cause: unknown },
  ) {
    super(`stream ${stream} differs from the wanted configuration in ${fields.join(', ')} and could not be updated: ${String((options.cause as Error)?.message ?? options.cause)}`, options);
  }
}

/**
 * Idempotent: creates the stream when it is missing; updates it only when its stored
 * configuration differs in something this code sets (subjects, storage, retention, duplicate
 * window, max age, replicas). Services may create the stream but not update it (their NATS
 * permissions): a difference they cannot apply throws StreamOutdatedError — the admin user applies
 * it (README: Security).
 */
export async function ensureStream(jsm: JetStreamManager, namespace?: string, replicas = 1): Promise<'created' | 'unchanged' | 'updated'> {
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
  let stored: Record<string, unknown>;
  try {
    stored = (await jsm.streams.info(name)).config as unknown as Record<string, unknown>;
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
    await jsm.streams.add(config);
    return 'created';
  }
  const fields = (Object.keys(config) as Array<keyof typeof config>).filter((k) => k !== 'name' && JSON.stringify(stored[k]) !== JSON.stringify(config[k]));
  if (fields.length === 0) return 'unchanged';
  try {
    await jsm.streams.update(name, config);
  } catch (err) {
    throw new StreamOutdatedError(name, fields, { cause: err });
  }
  return 'updated';
}

export async function connectEventBus(opts: EventBusOptions): Promise<EventBus> {
  const namespace = opts.consumerDefaults?.namespace;
  if (namespace && !/^[a-z][a-z0-9]{0,15}$/.test(namespace)) throw new Error(`bad events namespace "${namespace}": lower-case letters and digits`);
  const conn = natsConnectionOptions(opts.natsUrl, { ...(opts.user ? { user: opts.user } : {}), ...(opts.pass !== undefined ? { pass: opts.pass } : {}) });
  const nc = await connect({ ...conn, name: opts.name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5000 });
  const jsm = await jetstreamManager(nc).catch(async (err: unknown) => {
    await nc.close().catch(() => undefined);
    throw err;
  });
  try {
    await ensureStream(jsm, namespace, opts.streamReplicas ?? 1);
  } catch (err) {
    if (err instanceof StreamOutdatedError && /permissions violation/i.test(String((err.cause as Error)?.message))) {
      // a service may not change the stream (its NATS permissions): it keeps working with the stored one
      opts.onWarning?.({ stream: err.stream, fields: err.fields, user: conn.user }, 'the event stream differs from the wanted configuration and this NATS user may not update it: the admin user must (README: Security)');
    } else {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }
  const js = jetstream(nc, { timeout: 5000 });
  const metrics = eventMetrics(opts.registry);
  const subject = (t: string) => (namespace ? `${namespace}.${t}` : t);
  return {
    ...(opts.service ? { service: opts.service } : {}),
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
      const to = subject(event.type);
      // a PRODUCER span, child of the context that committed the event (its envelope traceparent);
      // its own context goes into the headers (traceparent, tracestate) for the consumers
      await tracedPublish(to, event, h, () =>
        // Nats-Msg-Id = event id: JetStream drops a re-publish of the same event within the window.
        js.publish(to, JSON.stringify(event), { msgID: opts?.msgId ?? event.id, headers: h, ...(opts?.timeoutMs ? { timeout: opts.timeoutMs } : {}) }),
      );
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
