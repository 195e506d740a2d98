import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, DEAD_LETTER_COLLECTION, type EventBus } from '@commerce/events';
import { VariantPriceChanged } from '@commerce/events/contracts';
import { CONTEXT_HEADER, newId, signInternalContext } from '@commerce/platform';
import { deleteRedisKeys, eventually, gql, serviceEnv, TcpProxy, TEST_EVENTS, TEST_ROUTER_SIGNING_KEY, testInfra, uniqueSuffix, waitQuiet } from '@commerce/testing';
import { startWebhooks, type WebhooksService } from '../src/index.ts';
import { deliveryId } from '../src/domain/delivery.ts';
import { startReceiver, type Receiver } from './receiver.ts';

/**
 * The broker and the database taken away from the webhooks service while deliveries are in
 * flight. The service reaches NATS and MongoDB through TCP proxies of this file (TcpProxy): a cut
 * resets its connections and refuses new ones — a real outage for this service alone — while the
 * shared servers, and every other test file on them, carry on. Upstream events keep arriving on
 * the stream during the outage (this file publishes them on its own, direct connection). After
 * the proxy comes back every expected delivery reaches its receiver with its stable id
 * (`msg_<hash(subscription, event)>`, known before the event is even published), at least once,
 * and the delivery log holds each delivery once, SUCCEEDED. Counts are taken once the system is
 * quiet: every consumer and the delivery queue with nothing pending or unacknowledged, no outbox
 * entry pending, every delivery final.
 */

/** A partner endpoint answering 204 after 20–120 ms (deliveries stay in flight a while). */
const receiver = (secret: () => string) => startReceiver({ secret, delayMs: () => 20 + Math.floor(Math.random() * 100) });

const partner = newId('ptnr');
const infra = testInfra();
const natsProxy = TcpProxy.for(infra.natsUrl);
const mongoProxy = TcpProxy.for(infra.mongoUrl);
const redisPrefix = `t:whf:${uniqueSuffix()}:`;
let env: NodeJS.ProcessEnv;
let svc: WebhooksService;
/** this file's own connections to the shared servers (never through the proxies) */
let bus: EventBus;
let client: MongoClient;
let db: Db;
const subs: Array<{ id: string; secret: string; hook: Receiver }> = [];
/** the delivery ids expected so far (all cases), per subscription: nothing else may arrive or be logged */
const bySub = new Map<string, Set<string>>();
const idsOf = (subId: string) => bySub.get(subId) ?? new Set<string>();

async function call(query: string, variables: Record<string, unknown>) {
  const token = await signInternalContext(TEST_ROUTER_SIGNING_KEY, { user: null, requestId: `t-${uniqueSuffix()}`, partner: { id: partner } }, { audience: 'webhooks' });
  return gql(svc.url, query, variables, { [CONTEXT_HEADER]: token });
}

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } userErrors { code } } }`;
const DELIVERIES = `query($id: ID!, $after: String) { webhookDeliveries(subscriptionId: $id, first: 100, after: $after) {
  nodes { id eventId status attempts nextAttemptAt attemptLog { succeeded responseStatus } } pageInfo { hasNextPage endCursor } } }`;

interface LogRow {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  attemptLog: Array<{ succeeded: boolean; responseStatus: number | null }>;
}

/** A subscription's whole delivery log, as the partner reads it (through the service). */
async function deliveryLog(subId: string): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  let after: string | null = null;
  for (;;) {
    const r = await call(DELIVERIES, { id: subId, after });
    expect(r.errors).toBeUndefined();
    rows.push(...r.data!.webhookDeliveries.nodes);
    if (!r.data!.webhookDeliveries.pageInfo.hasNextPage) return rows;
    after = r.data!.webhookDeliveries.pageInfo.endCursor;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Quiescence: every delivery of the log final (none PENDING) and as many as expected, and then
 * the system quiet (the service's consumers and its delivery queue with nothing to deliver and
 * nothing unacknowledged — a retry waiting as a nak'ed item counts as unacknowledged — and its
 * outbox empty). Only then are receipts counted.
 */
async function settle(): Promise<Map<string, LogRow[]>> {
  await eventually(
    async () => {
      for (const s of subs) {
        const log = await deliveryLog(s.id);
        if (log.length !== idsOf(s.id).size || log.some((d) => d.status === 'PENDING')) return false;
      }
      return true;
    },
    120_000,
    250,
  );
  await waitQuiet({ bus, durables: [...svc.consumers, svc.queue], dbs: [db], timeoutMs: 60_000 });
  expect(svc.queue.inFlight()).toBe(0);
  return new Map(await Promise.all(subs.map(async (s) => [s.id, await deliveryLog(s.id)] as const)));
}

/**
 * One outage: `events` price changes are published one every 80 ms; once the first deliveries
 * have arrived (the rest still to be fanned out or delivered) the proxy is cut for `holdMs`, while
 * the publishing goes on; then it comes back. Returns the delivery ids expected from this round.
 */
async function outage(proxy: TcpProxy, opts: { events: number; holdMs: number }) {
  const round = uniqueSuffix();
  const expected = new Map<string, { subId: string; productId: string }>();
  const received = () => subs.reduce((n, s) => n + s.hook.got.filter((g) => expected.has(g.id)).length, 0);
  let published = 0;
  const publishing = (async () => {
    for (let i = 0; i < opts.events; i++) {
      const productId = `prod_${round}_${i}`;
      const event = VariantPriceChanged.create(
        { productId, variantId: `var_${round}_${i}`, sku: `SKU-${round}-${i}`, price: { amount: 1000 + i, currencyCode: 'USD' }, previousPrice: { amount: 999, currencyCode: 'USD' }, version: i + 2 },
        { aggregateId: productId },
      );
      for (const s of subs) {
        const id = deliveryId(s.id, event.id);
        expected.set(id, { subId: s.id, productId });
        bySub.set(s.id, idsOf(s.id).add(id));
      }
      await bus.publish(event);
      published++;
      await sleep(80);
    }
  })();
  // deliveries are in flight: some arrived, most not even published yet
  await eventually(async () => received() >= 4, 30_000, 5);
  const acceptedBefore = proxy.accepted;
  await proxy.cut();
  const atCut = { received: received(), published };
  await sleep(opts.holdMs);
  await proxy.restore();
  await publishing;
  // the cut came with deliveries queued and events still to come
  expect(atCut.received).toBeLessThan(opts.events * subs.length);
  expect(atCut.published).toBeLessThan(opts.events);
  return { expected, atCut, acceptedBefore };
}

/** What every outage must leave: each expected delivery arrived (at least once) with its stable id, logged once as SUCCEEDED. */
async function expectNothingLost(expected: Map<string, { subId: string; productId: string }>) {
  const logs = await settle();
  for (const s of subs) {
    expect(s.hook.unverified).toEqual([]);
    // nothing arrives but the expected deliveries, each under its id and with its own event
    for (const g of s.hook.got) expect(idsOf(s.id).has(g.id), `unexpected webhook-id ${g.id}`).toBe(true);
    for (const g of s.hook.got.filter((x) => expected.has(x.id))) expect(g.body.data.productId).toBe(expected.get(g.id)!.productId);
    const log = logs.get(s.id)!;
    // one row per delivery: no id twice, none missing, none extra
    expect(new Set(log.map((d) => d.id)).size).toBe(log.length);
    expect(new Set(log.map((d) => d.id))).toEqual(idsOf(s.id));
    for (const d of log.filter((x) => expected.has(x.id))) {
      const receipts = s.hook.got.filter((g) => g.id === d.id).length;
      expect(receipts, `${d.id} reached the receiver`).toBeGreaterThanOrEqual(1);
      expect(d.status).toBe('SUCCEEDED');
      expect(d.nextAttemptAt).toBeNull();
      expect(d.attemptLog.at(-1)).toEqual({ succeeded: true, responseStatus: 204 });
      // an attempt logged as succeeded was received: the log never claims more than arrived
      expect(d.attemptLog.filter((a) => a.succeeded).length).toBeLessThanOrEqual(receipts);
    }
  }
  const delivered = new Set(subs.flatMap((s) => s.hook.got.map((g) => g.id)).filter((id) => expected.has(id)));
  expect(delivered.size).toBe(expected.size);
  // no event was parked: each was fanned out, not set aside
  expect(await db.collection(DEAD_LETTER_COLLECTION).countDocuments({})).toBe(0);
  const copies = subs.reduce((n, s) => n + s.hook.got.filter((g) => expected.has(g.id)).length, 0);
  const retried = [...logs.values()].flat().filter((d) => expected.has(d.id) && d.attempts > 1).length;
  return { duplicates: copies - expected.size, retried };
}

beforeAll(async () => {
  await natsProxy.open();
  await mongoProxy.open();
  env = serviceEnv('webhooks', {
    NATS_URL: natsProxy.url(infra.natsUrl),
    MONGO_URL: mongoProxy.url(infra.mongoUrl),
    WEBHOOKS_RETRY_BASE_MS: '100',
    WEBHOOKS_RETRY_MAX_DELAY_MS: '400',
    WEBHOOKS_RETRY_WINDOW_MS: '300000',
    WEBHOOKS_DELIVERY_TIMEOUT_MS: '2000',
    // a few at once: a cut finds deliveries queued and in flight
    WEBHOOKS_DELIVERY_CONCURRENCY: '4',
    WEBHOOKS_DISABLE_AFTER_FAILURES: '1000000',
    WEBHOOKS_REDIS_PREFIX: redisPrefix,
  });
  svc = await startWebhooks(env);
  bus = await connectEventBus({ natsUrl: infra.natsUrl, name: 'webhooks-faults-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  client = new MongoClient(infra.mongoUrl);
  db = client.db(env.WEBHOOKS_DB_NAME!);
  for (let i = 0; i < 2; i++) {
    const entry = { id: '', secret: '', hook: undefined as unknown as Receiver };
    entry.hook = await receiver(() => entry.secret);
    const r = await call(CREATE, { input: { url: entry.hook.url, eventTypes: ['product.price_changed'] } });
    expect(r.data!.createWebhookSubscription.userErrors).toEqual([]);
    entry.id = r.data!.createWebhookSubscription.subscription.id;
    entry.secret = r.data!.createWebhookSubscription.secret;
    subs.push(entry);
  }
  await waitQuiet({ bus, durables: [...svc.consumers, svc.queue], dbs: [db], timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  // the servers are back for the service's own stop
  await natsProxy.restore().catch(() => undefined);
  await mongoProxy.restore().catch(() => undefined);
  await svc?.stop();
  await bus?.close();
  await client?.close();
  await natsProxy.close();
  await mongoProxy.close();
  await Promise.all(subs.map((s) => s.hook.close()));
  await deleteRedisKeys(redisPrefix);
});

describe('webhook deliveries through outages', () => {
  it('the service goes through its proxies (the control)', () => {
    expect(natsProxy.accepted).toBeGreaterThan(0);
    expect(mongoProxy.accepted).toBeGreaterThan(0);
  });

  it('NATS cut while events are fanned out and delivered: every delivery arrives with its stable id, logged SUCCEEDED once', async ({ annotate }) => {
    const { expected, atCut, acceptedBefore } = await outage(natsProxy, { events: 30, holdMs: 6000 });
    const stats = await expectNothingLost(expected);
    // the service reconnected to the broker through the proxy (it was really cut off)
    expect(natsProxy.accepted).toBeGreaterThan(acceptedBefore);
    await annotate(`${expected.size} deliveries, ${atCut.published} events published and ${atCut.received} deliveries arrived before the cut, ${stats.duplicates} duplicate receipts, ${stats.retried} logged with more than one attempt`);
  }, 240_000);

  it('database cut while deliveries are in flight: every delivery arrives with its stable id, logged SUCCEEDED once', async ({ annotate }) => {
    const { expected, atCut, acceptedBefore } = await outage(mongoProxy, { events: 30, holdMs: 8000 });
    const stats = await expectNothingLost(expected);
    expect(mongoProxy.accepted).toBeGreaterThan(acceptedBefore);
    await annotate(`${expected.size} deliveries, ${atCut.published} events published and ${atCut.received} deliveries arrived before the cut, ${stats.duplicates} duplicate receipts, ${stats.retried} logged with more than one attempt`);
  }, 240_000);
});
