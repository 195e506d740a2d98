import { randomBytes } from 'node:crypto';
import { expect, inject } from 'vitest';
import type { Db } from 'mongodb';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { PULL_EXPIRES_MS, type EventBus, type EventEnvelope } from '@commerce/events';
import { storageBackend } from '@commerce/storage';
import { mongoUrlFor } from '@commerce/infra';
import { createLogger, createRedis, deleteKeysByPrefix, generateRouterKeyPair, signInternalContext, type Identity, type InternalContext } from '@commerce/platform';

export interface TestInfra {
  mongoUrl: string;
  mongoKind: string;
  /** FerretDB on PostgreSQL with the equality indexes: that database's URL; else '' */
  ferretdbPostgresUrl: string;
  natsUrl: string;
  redisUrl: string;
}

/** The infrastructure the global setup started or found. */
export function testInfra(): TestInfra {
  return { mongoUrl: inject('mongoUrl'), mongoKind: inject('mongoKind'), ferretdbPostgresUrl: inject('ferretdbPostgresUrl'), natsUrl: inject('natsUrl'), redisUrl: inject('redisUrl') };
}

/** A database name no other test uses, so tests never see each other's data. */
export function uniqueDbName(prefix: string): string {
  return `t_${prefix}_${randomBytes(4).toString('hex')}`;
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export function testMongoUrl(dbName: string): string {
  return mongoUrlFor(testInfra().mongoUrl, dbName);
}

export const testLogger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/**
 * How tests' event buses are set up (see serviceEnv): pass as `consumerDefaults` to connectEventBus.
 * TEST_EVENTS_NAMESPACE gives a test run a stream of its own (default `test`), so that two runs on
 * one broker (two checkouts, or a developer's run beside CI's) never see each other's events.
 */
export const TEST_EVENTS = { newConsumersFrom: 'new' as const, durableTtlMs: 120_000, namespace: process.env.TEST_EVENTS_NAMESPACE ?? 'test' };

/**
 * The router context's key pair under test, new per run (per test process): routers under test
 * sign with TEST_ROUTER_SIGNING_KEY (their ROUTER_SIGNING_KEY), subgraphs under test verify with
 * TEST_ROUTER_PUBLIC_KEY (their ROUTER_PUBLIC_KEY, see serviceEnv). Tests that call a subgraph
 * directly act as the router: testRouterContext / callSubgraph.
 */
const TEST_ROUTER_KEYS = generateRouterKeyPair();
export const TEST_ROUTER_SIGNING_KEY = TEST_ROUTER_KEYS.signingKey;
export const TEST_ROUTER_PUBLIC_KEY = TEST_ROUTER_KEYS.publicKey;

/**
 * A router context for the subgraph named `audience`, as the router would sign it for a request
 * with this identity (null = anonymous) — the `x-commerce-context` of a direct call in a test.
 */
export function testRouterContext(audience: string, user: Identity | null = null, extra: Partial<Omit<InternalContext, 'user'>> = {}): Promise<string> {
  return signInternalContext(TEST_ROUTER_SIGNING_KEY, { user, requestId: `test-${uniqueSuffix()}`, ...extra }, { audience });
}

const subgraphNames = new Map<string, Promise<string>>();
/** The name a subgraph answers to (the audience of its contexts), from its `/health/live`. */
export function subgraphNameAt(url: string): Promise<string> {
  const live = new URL('/health/live', url).href;
  let name = subgraphNames.get(live);
  if (!name) {
    name = fetch(live).then(async (res) => {
      const body = (await res.json()) as { service?: unknown };
      if (typeof body.service !== 'string') throw new Error(`${live} did not name its service`);
      return body.service;
    });
    name.catch(() => subgraphNames.delete(live));
    subgraphNames.set(live, name);
  }
  return name;
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** response extensions (e.g. the router's `cost`) */
  extensions?: Record<string, any>;
  headers: Headers;
}

/** POSTs one GraphQL operation and returns status, data and errors. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: { data?: T; errors?: GraphQLResponse['errors']; extensions?: Record<string, any> } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, data: body.data, errors: body.errors, extensions: body.extensions, headers: res.headers };
}

/** Polls until `check` returns a truthy value or the timeout passes (for eventual consistency). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const ADMIN = { id: 'cust_admin', roles: ['CUSTOMER', 'ADMIN'] as Array<'CUSTOMER' | 'ADMIN'> };
export const CUSTOMER = { id: 'cust_customer', roles: ['CUSTOMER'] as Array<'CUSTOMER' | 'ADMIN'> };

/**
 * Calls a subgraph directly the way the router does: with a `x-commerce-context` signed for that
 * subgraph (its name, from /health/live, is the audience) carrying the given identity (null = anonymous).
 */
export async function callSubgraph<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  user: Identity | null = null,
): Promise<GraphQLResponse<T>> {
  const { CONTEXT_HEADER } = await import('@commerce/platform');
  const token = await testRouterContext(await subgraphNameAt(url), user);
  return gql<T>(url, query, variables, { [CONTEXT_HEADER]: token });
}

/** Environment for starting a service in-process against the test infrastructure. */
export function serviceEnv(service: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const infra = testInfra();
  const prefix = service.toUpperCase();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: infra.mongoUrl,
    NATS_URL: infra.natsUrl,
    REDIS_URL: infra.redisUrl,
    ROUTER_PUBLIC_KEY: TEST_ROUTER_PUBLIC_KEY,
    // tests publish in a namespace of their own (never into a development platform's stream); a
    // test's durable consumers start at its own events and vanish after the run
    EVENTS_NAMESPACE: TEST_EVENTS.namespace,
    EVENTS_NEW_CONSUMERS_FROM: TEST_EVENTS.newConsumersFrom,
    EVENTS_DURABLE_TTL_MS: String(TEST_EVENTS.durableTtlMs),
    [`${prefix}_PORT`]: '0',
    [`${prefix}_DB_NAME`]: uniqueDbName(service),
    // customers hashes passwords with scrypt N = 2^17 by default (~1 s a KDF on a 2-core box): 2^12 in tests
    ...(service === 'customers' ? { CUSTOMERS_SCRYPT_LOG_N: '12' } : {}),
    ...extra,
  };
}

/**
 * Asserts that one DataLoader batch read these distinct ids from `collection` in the form its
 * backend serves from an index: a single `find` with `$in` on MongoDB; on FerretDB, whose `$in`
 * reads the whole collection, one `{_id}` equality `find` per id. Never a query per reference,
 * never an id twice.
 */
export async function expectOneBatch(db: Db, counter: { finds(collection: string): Array<Record<string, unknown>> }, collection: string, ids: readonly string[]): Promise<void> {
  const finds = counter.finds(collection);
  const asked = (filter: Record<string, unknown>): unknown[] => {
    const id = filter._id as unknown;
    return id && typeof id === 'object' && '$in' in (id as object) ? ((id as { $in: unknown[] }).$in) : [id];
  };
  if ((await storageBackend(db)) === 'mongodb') {
    expect(finds, `finds on ${collection}`).toHaveLength(1);
  } else {
    expect(finds.map((f) => typeof f._id), `finds on ${collection}: one _id equality each`).toEqual(ids.map(() => 'string'));
  }
  expect(finds.flatMap(asked).sort(), `ids read from ${collection}`).toEqual([...new Set(ids)].sort());
}

/** Deletes every Redis key of a prefix: what a test's service left in the shared Redis. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = createRedis(testInfra().redisUrl);
  try {
    return await deleteKeysByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** What the quiet checks read: one stream (any bus connected to it), its consumers, the outboxes. */
export interface QuietScope {
  bus: Pick<EventBus, 'jsm' | 'stream'>;
  /** every durable consumer involved: names, or anything with a `durable` (running consumers, observers) */
  durables?: Iterable<string | { durable: string }>;
  /**
   * every database whose outbox must hold no pending entry: a database (its `outbox`), or
   * `{ db, outbox }` for an outbox of another name (orders: `order_events`)
   */
  dbs?: Iterable<OutboxDb | { db: OutboxDb; outbox: string }>;
}

/** A database as the quiet check reads it (a driver's `Db`, also mongoose's `connection.db`). */
export interface OutboxDb {
  databaseName: string;
  collection(name: string): { findOne(filter: { status: 'pending' }, options: { projection: { _id: 1 } }): Promise<unknown> };
}

async function consumersAt(scope: QuietScope, names: string[]): Promise<{ marks: string } | { busy: string }> {
  const marks: string[] = [];
  for (const name of names) {
    const info = await scope.bus.jsm.consumers.info(scope.bus.stream, name);
    if (info.num_pending > 0 || info.num_ack_pending > 0) return { busy: `consumer ${name}: ${info.num_pending} to deliver, ${info.num_ack_pending} unacknowledged` };
    marks.push(`${name}@${info.delivered.consumer_seq}`);
  }
  return { marks: marks.join(' ') };
}

/**
 * What keeps a scope from being quiet (null: it is quiet). Quiet means: every consumer has
 * nothing to deliver and nothing delivered but unacknowledged (consumers ack after the handler's
 * effect is stored, so every handler that will run has finished), no outbox holds a pending entry
 * (everything committed is on the stream), and no consumer was handed anything while the outboxes
 * were read (a handler that committed and acked in between, whose events the consumers of the
 * first look could not have counted yet).
 */
export async function quietReport(scope: QuietScope): Promise<string | null> {
  const names = [...(scope.durables ?? [])].map((d) => (typeof d === 'string' ? d : d.durable));
  const before = await consumersAt(scope, names);
  if ('busy' in before) return before.busy;
  for (const entry of scope.dbs ?? []) {
    const { db, outbox } = 'outbox' in entry ? entry : { db: entry, outbox: 'outbox' };
    if (await db.collection(outbox).findOne({ status: 'pending' }, { projection: { _id: 1 } })) return `${db.databaseName}.${outbox}: an entry is pending`;
  }
  const after = await consumersAt(scope, names);
  if ('busy' in after) return after.busy;
  return after.marks === before.marks ? null : 'a consumer was handed more while the outboxes were read';
}

/** True when the scope is quiet now (see quietReport). */
export async function isQuiet(scope: QuietScope): Promise<boolean> {
  return (await quietReport(scope)) === null;
}

/**
 * Waits until the scope is quiet: the signal to count events or effects "exactly once" (never a
 * fixed sleep, which a late duplicate outlasts). Throws with what was still busy at the timeout.
 */
export async function waitQuiet(scope: QuietScope & { timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (scope.timeoutMs ?? 15_000);
  for (;;) {
    let report: string | null;
    try {
      report = await quietReport(scope);
    } catch (err) {
      report = (err as Error).message;
    }
    if (report === null) return;
    if (Date.now() > deadline) throw new Error(`not quiet within ${scope.timeoutMs ?? 15_000} ms: ${report}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The durable consumers on a bus's stream that belong to services on these databases (a durable's
 * name starts with its database's name: see durableName in @commerce/events).
 */
export async function durablesOf(bus: Pick<EventBus, 'jsm' | 'stream'>, dbNames: Iterable<string>): Promise<string[]> {
  const prefixes = [...dbNames].map((n) => `${n.replace(/[^A-Za-z0-9_-]/g, '_')}_`);
  const names: string[] = [];
  for await (const info of await bus.jsm.consumers.list(bus.stream)) if (prefixes.some((p) => info.name.startsWith(p))) names.push(info.name);
  return names;
}

/** A test's record of the events on a subject (see observeEvents). */
export interface EventObserver {
  /** every event published on the subject since the observer started, in stream order, copies included */
  readonly seen: EventEnvelope[];
  /** its durable consumer: include it in waitQuiet's `durables`, and `seen` is complete once quiet */
  readonly durable: string;
  stop(): Promise<void>;
}

/**
 * Records every event on a subject (e.g. `commerce.payments.>`) from now on, through a durable
 * consumer of its own that acks each message once recorded: unlike a tail (tailEvents), its
 * consumer info tells when it has caught up, and unlike a service's consumer it drops no copy of
 * an event, so a count of `seen` shows a duplicate publish.
 */
export async function observeEvents(opts: { bus: EventBus; subject: string }): Promise<EventObserver> {
  const { bus } = opts;
  const durable = `test-observer-${uniqueSuffix()}`;
  await bus.jsm.consumers.add(bus.stream, {
    durable_name: durable,
    filter_subject: bus.subject(opts.subject),
    deliver_policy: DeliverPolicy.New,
    ack_policy: AckPolicy.Explicit,
    inactive_threshold: TEST_EVENTS.durableTtlMs * 1_000_000,
  });
  const messages = await (await bus.js.consumers.get(bus.stream, durable)).consume({ expires: PULL_EXPIRES_MS });
  const seen: EventEnvelope[] = [];
  const loop = (async () => {
    for await (const msg of messages) {
      try {
        seen.push(msg.json<EventEnvelope>());
      } catch {
        // not an event (a test's malformed message): nothing to record
      }
      msg.ack();
    }
  })().catch(() => undefined);
  return {
    seen,
    durable,
    async stop() {
      await messages.close();
      await loop;
      await bus.jsm.consumers.delete(bus.stream, durable).catch(() => undefined);
    },
  };
}
export * from './oauth-browser.ts';
export * from './tcp-proxy.ts';
