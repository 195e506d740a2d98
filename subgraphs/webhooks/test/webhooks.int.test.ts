import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StockLevelChanged, VariantPriceChanged, WebhookEndpointDisabled } from '@commerce/events/contracts';
import { CONTEXT_HEADER, newId, signInternalContext, type Identity } from '@commerce/platform';
import { ADMIN, CUSTOMER, eventually, gql, observeEvents, serviceEnv, TEST_ROUTER_SIGNING_KEY, uniqueSuffix, waitQuiet, type EventObserver } from '@commerce/testing';
import { startWebhooks, type WebhooksService } from '../src/index.ts';
import { startReceiver } from './receiver.ts';
import { ROUTES_COLLECTION } from '../src/model/store.ts';
import { createHttpSender } from '../src/events/http-sender.ts';

/**
 * Partner webhooks against the real servers: a receiver in the test verifies every request with
 * standardwebhooks' Webhook.verify; it goes down (503) and the service restarts meanwhile, and the
 * deliveries arrive later with the same ids; a replay re-sends a range; an endpoint that keeps
 * failing is disabled with notice; the SSRF rule in production. Counts are taken once the system
 * is quiet (every consumer and the delivery queue with nothing pending, every delivery final).
 */

/** A webhook endpoint answering `mode()`, for this file's cases. */
const receiver = (mode: () => number, secret: () => string) => startReceiver({ status: mode, secret, path: '/hooks?tenant=t1' });

const partnerA = newId('ptnr');
const partnerB = newId('ptnr');

/** Calls the subgraph as the router does for a partner request (claim `ptn`), or for a user. */
async function call(svc: WebhooksService, query: string, variables: Record<string, unknown>, who: { partner?: string; user?: Identity }) {
  const token = await signInternalContext(TEST_ROUTER_SIGNING_KEY, { user: who.user ?? null, requestId: `t-${uniqueSuffix()}`, ...(who.partner ? { partner: { id: who.partner } } : {}) }, { audience: 'webhooks' });
  return gql(svc.url, query, variables, { [CONTEXT_HEADER]: token });
}

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id partnerId url eventTypes status } userErrors { code field message } } }`;
const SUB = `query($id: ID!) { webhookSubscription(id: $id) { id status disabledReason disabledAt eventTypes } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String, $status: WebhookDeliveryStatus) { webhookDeliveries(subscriptionId: $id, first: $first, after: $after, status: $status) {
  nodes { id eventType eventId status attempts lastResponseStatus latencyMs nextAttemptAt occurredAt attemptLog { responseStatus succeeded latencyMs } }
  pageInfo { hasNextPage endCursor } } }`;

const env = serviceEnv('webhooks', {
  // seconds instead of hours: retries every 50–400 ms, for 60 s
  WEBHOOKS_RETRY_BASE_MS: '100',
  WEBHOOKS_RETRY_MAX_DELAY_MS: '400',
  WEBHOOKS_RETRY_WINDOW_MS: '60000',
  WEBHOOKS_DELIVERY_TIMEOUT_MS: '2000',
  WEBHOOKS_DISABLE_AFTER_FAILURES: '1000000',
  WEBHOOKS_REDIS_PREFIX: `t:wh:${uniqueSuffix()}:`,
});
let svc: WebhooksService;

const quiet = () => waitQuiet({ bus: svc.bus, durables: [...svc.consumers, svc.queue], dbs: [svc.db], timeoutMs: 30_000 });

async function priceChanged(n: number, occurredAt: Date) {
  const event = VariantPriceChanged.create(
    { productId: `prod_${n}`, variantId: `var_${uniqueSuffix()}`, sku: `SKU-${n}`, price: { amount: 1000 + n, currencyCode: 'USD' }, previousPrice: { amount: 999, currencyCode: 'USD' }, version: n + 1 },
    { aggregateId: `prod_${n}`, occurredAt },
  );
  await svc.bus.publish(event);
  return event;
}

async function allDeliveries(subId: string, who: { partner?: string; user?: Identity }) {
  const nodes: Array<Record<string, any>> = [];
  let after: string | null = null;
  for (;;) {
    const r = await call(svc, DELIVERIES, { id: subId, first: 2, after }, who);
    expect(r.errors).toBeUndefined();
    nodes.push(...r.data!.webhookDeliveries.nodes);
    if (!r.data!.webhookDeliveries.pageInfo.hasNextPage) return nodes;
    after = r.data!.webhookDeliveries.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  svc = await startWebhooks(env);
});
afterAll(async () => {
  await svc?.stop();
});

describe('managing subscriptions', () => {
  it('creates one for the calling partner, shows its secret once, and checks the input', async () => {
    const created = await call(svc, CREATE, { input: { url: 'https://hooks.example.com/in', eventTypes: ['product.price_changed', 'order.confirmed'] } }, { partner: partnerA });
    const { secret, subscription } = created.data!.createWebhookSubscription;
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(subscription).toMatchObject({ partnerId: partnerA, status: 'ACTIVE', eventTypes: ['order.confirmed', 'product.price_changed'] });
    // no field ever shows it again; another partner does not see the subscription; a customer may not ask
    const again = await call(svc, SUB, { id: subscription.id }, { partner: partnerA });
    expect(JSON.stringify(again.data)).not.toContain(secret.slice(6, 20));
    expect((await call(svc, SUB, { id: subscription.id }, { partner: partnerB })).data!.webhookSubscription).toBeNull();
    expect((await call(svc, SUB, { id: subscription.id }, { user: CUSTOMER })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(svc, SUB, { id: subscription.id }, { user: ADMIN })).data!.webhookSubscription.id).toBe(subscription.id);
    const bad = await call(svc, CREATE, { input: { url: 'ftp://x', eventTypes: ['order.shipped'] } }, { partner: partnerA });
    expect(bad.data!.createWebhookSubscription.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['INVALID_URL', 'UNKNOWN_EVENT_TYPE']);
    expect(bad.data!.createWebhookSubscription.secret).toBeNull();
    // an admin names the partner
    const forB = await call(svc, CREATE, { input: { url: 'https://hooks.example.com/b', eventTypes: ['order.cancelled'], partnerId: partnerB } }, { user: ADMIN });
    expect(forB.data!.createWebhookSubscription.subscription.partnerId).toBe(partnerB);
    const rotated = await call(svc, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret userErrors { code } } }`, { id: subscription.id }, { partner: partnerB });
    expect(rotated.data!.rotateWebhookSecret.userErrors[0].code).toBe('NOT_FOUND');
    // another partner's update is NOT_FOUND and leaves no routing behind (none for an unknown id either)
    const routesOf = (id: string) => svc.db.collection(ROUTES_COLLECTION).countDocuments({ subscriptionId: id });
    const routesBefore = await routesOf(subscription.id);
    const UPDATE = `mutation($id: ID!, $input: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(id: $id, input: $input) { userErrors { code } } }`;
    const hijack = await call(svc, UPDATE, { id: subscription.id, input: { eventTypes: ['order.confirmed', 'order.cancelled', 'inventory.low_stock'] } }, { partner: partnerB });
    expect(hijack.data!.updateWebhookSubscription.userErrors[0].code).toBe('NOT_FOUND');
    expect(await routesOf(subscription.id)).toBe(routesBefore);
    const ghost = `whs_${uniqueSuffix()}`;
    expect((await call(svc, UPDATE, { id: ghost, input: { eventTypes: ['order.confirmed'] } }, { partner: partnerB })).data!.updateWebhookSubscription.userErrors[0].code).toBe('NOT_FOUND');
    expect(await routesOf(ghost)).toBe(0);
    await call(svc, `mutation($id: ID!) { deleteWebhookSubscription(id: $id) { deletedId } }`, { id: subscription.id }, { partner: partnerA });
    await call(svc, `mutation($id: ID!) { deleteWebhookSubscription(id: $id) { deletedId } }`, { id: forB.data!.createWebhookSubscription.subscription.id }, { user: ADMIN });
  });
});

describe('deliveries', () => {
  let secret = '';
  let up = false;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let subId = '';
  const occurred: Date[] = [];

  beforeAll(async () => {
    hook = await receiver(() => (up ? 204 : 503), () => secret);
    const r = await call(svc, CREATE, { input: { url: hook.url, eventTypes: ['product.price_changed', 'inventory.low_stock'] } }, { partner: partnerA });
    secret = r.data!.createWebhookSubscription.secret;
    subId = r.data!.createWebhookSubscription.subscription.id;
  });
  afterAll(() => hook?.close());

  it('arrive signed, after the receiver was down and the service restarted, with the same ids', async () => {
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) occurred.push(new Date(base + i * 1000));
    for (let i = 0; i < 5; i++) await priceChanged(i, occurred[i]!);
    // every delivery is tried while the receiver answers 503
    await eventually(async () => new Set(hook.got.map((g) => g.id)).size === 5, 20_000);
    const failedIds = new Set(hook.got.map((g) => g.id));
    // the service goes down with every delivery pending, and comes back
    await svc.stop();
    svc = await startWebhooks(env);
    up = true;
    await eventually(async () => (await allDeliveries(subId, { partner: partnerA })).every((d) => d.status === 'SUCCEEDED'), 90_000, 200);
    await quiet();
    const log = await allDeliveries(subId, { partner: partnerA });
    expect(log).toHaveLength(5);
    expect(hook.unverified).toEqual([]);
    // at least once each, with the ids of the failed attempts, and nothing else
    const delivered = new Set(hook.ok().map((g) => g.id));
    expect(delivered).toEqual(failedIds);
    expect(new Set(log.map((d) => d.id))).toEqual(delivered);
    for (const d of log) {
      expect(d.attempts).toBeGreaterThanOrEqual(2);
      expect(d.lastResponseStatus).toBe(204);
      expect(d.attemptLog[0].responseStatus).toBe(503);
      expect(d.attemptLog.at(-1)).toMatchObject({ succeeded: true, responseStatus: 204 });
      expect(typeof d.latencyMs).toBe('number');
      expect(d.nextAttemptAt).toBeNull();
    }
    // newest event first
    expect(log.map((d) => d.occurredAt)).toEqual([...occurred].reverse().map((d) => d.toISOString()));
    const sample = hook.ok()[0]!.body;
    expect(sample.type).toBe('product.price_changed');
    expect(sample.data).toMatchObject({ schemaVersion: 1, price: { currencyCode: 'USD' } });
    expect(typeof sample.data.price).toBe('object');
  }, 150_000);

  it('replays a range with the same delivery ids', async () => {
    const before = new Map<string, number>();
    for (const g of hook.ok()) before.set(g.id, (before.get(g.id) ?? 0) + 1);
    const log = await allDeliveries(subId, { partner: partnerA });
    const inRange = log.filter((d) => Date.parse(d.occurredAt) >= occurred[1]!.getTime() && Date.parse(d.occurredAt) < occurred[3]!.getTime()).map((d) => d.id);
    expect(inRange).toHaveLength(2);
    const r = await call(svc, `mutation($id: ID!, $from: DateTime!, $to: DateTime!) { replayWebhookDeliveries(subscriptionId: $id, from: $from, to: $to) { replayed userErrors { code } } }`, { id: subId, from: occurred[1]!.toISOString(), to: occurred[3]!.toISOString() }, { partner: partnerA });
    expect(r.data!.replayWebhookDeliveries).toEqual({ replayed: 2, userErrors: [] });
    await eventually(async () => inRange.every((id) => hook.ok().filter((g) => g.id === id).length > before.get(id)!), 20_000);
    await quiet();
    for (const d of log) {
      const now = hook.ok().filter((g) => g.id === d.id).length;
      if (inRange.includes(d.id)) expect(now).toBeGreaterThanOrEqual(before.get(d.id)! + 1);
      else expect(now).toBe(before.get(d.id));
    }
    const reversed = await call(svc, `mutation($id: ID!, $from: DateTime!, $to: DateTime!) { replayWebhookDeliveries(subscriptionId: $id, from: $from, to: $to) { replayed userErrors { code } } }`, { id: subId, from: occurred[3]!.toISOString(), to: occurred[1]!.toISOString() }, { partner: partnerA });
    expect(reversed.data!.replayWebhookDeliveries.userErrors[0].code).toBe('INVALID_RANGE');
  }, 60_000);

  it('sends inventory.low_stock once when the level crosses below the threshold', async () => {
    const variantId = `var_low_${uniqueSuffix()}`;
    const level = (available: number, version: number) => StockLevelChanged.create({ variantId, locationId: 'loc_main', onHand: available, reserved: 0, available, version }, { aggregateId: variantId });
    for (const [a, v] of [[10, 1], [4, 2], [2, 3], [8, 4]] as const) await svc.bus.publish(level(a, v));
    await quiet();
    await eventually(async () => hook.ok().some((g) => g.body.type === 'inventory.low_stock' && g.body.data.variantId === variantId), 10_000);
    await quiet();
    const lows = hook.ok().filter((g) => g.body.type === 'inventory.low_stock' && g.body.data.variantId === variantId);
    expect(lows).toHaveLength(1);
    expect(lows[0]!.body.data).toMatchObject({ available: 4, threshold: 5 });
  });
});

describe('auto-disable', () => {
  it('disables an endpoint that keeps failing, with notice, stops sending, and resumes when enabled', async () => {
    let secret = '';
    let status = 500;
    const hook = await receiver(() => status, () => secret);
    // this endpoint's rule: 3 failures in a row over at least 1 s (the service's own is far higher)
    const rule = svc.deps.disable;
    Object.assign(rule, { minFailures: 3, afterMs: 1000 });
    const disabledNotices: EventObserver = await observeEvents({ bus: svc.bus, subject: WebhookEndpointDisabled.subject });
    try {
      const r = await call(svc, CREATE, { input: { url: hook.url, eventTypes: ['product.price_changed'] } }, { partner: partnerB });
      secret = r.data!.createWebhookSubscription.secret;
      const subId = r.data!.createWebhookSubscription.subscription.id;
      await priceChanged(100, new Date());
      const disabled = await eventually(async () => {
        const s = (await call(svc, SUB, { id: subId }, { partner: partnerB })).data!.webhookSubscription;
        return s.status === 'DISABLED' ? s : null;
      }, 20_000, 100);
      expect(disabled.disabledReason).toMatch(/consecutive failed attempts/);
      expect(disabled.disabledAt).toBeTruthy();
      await waitQuiet({ bus: svc.bus, durables: [...svc.consumers, svc.queue, disabledNotices], dbs: [svc.db], timeoutMs: 30_000 });
      expect(disabledNotices.seen.filter((e) => (e.data as { subscriptionId: string }).subscriptionId === subId)).toHaveLength(1);
      const failed = await allDeliveries(subId, { partner: partnerB });
      expect(failed.map((d) => d.status)).toEqual(['FAILED']);
      // nothing is sent while disabled: the next event is logged as SKIPPED
      const requests = hook.got.length;
      await priceChanged(101, new Date());
      await eventually(async () => (await allDeliveries(subId, { partner: partnerB })).length === 2, 10_000);
      await quiet();
      expect(hook.got.length).toBe(requests);
      expect((await allDeliveries(subId, { partner: partnerB }))[0]!.status).toBe('SKIPPED');
      // enabled again (the endpoint fixed): new events are delivered
      status = 200;
      Object.assign(rule, { minFailures: 1_000_000 });
      const enabled = await call(svc, `mutation($id: ID!) { enableWebhookSubscription(id: $id) { subscription { status disabledReason } userErrors { code } } }`, { id: subId }, { partner: partnerB });
      expect(enabled.data!.enableWebhookSubscription.subscription).toEqual({ status: 'ACTIVE', disabledReason: null });
      await priceChanged(102, new Date());
      await eventually(async () => hook.ok().length === 1, 10_000);
      await quiet();
      expect(hook.ok()).toHaveLength(1);
      expect(hook.ok()[0]!.body.data.productId).toBe('prod_102');
    } finally {
      Object.assign(rule, { minFailures: 1_000_000, afterMs: 86_400_000 });
      await disabledNotices.stop();
      await hook.close();
    }
  }, 90_000);
});

describe('the SSRF rule in production', () => {
  let prod: WebhooksService;
  beforeAll(async () => {
    prod = await startWebhooks({ ...serviceEnv('webhooks'), NODE_ENV: 'production' });
  });
  afterAll(() => prod?.stop());

  it('refuses loopback, private and link-local targets at creation, also behind a name', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::ffff:7f00:1]/', 'http://localhost:8080/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data/']) {
      const r = await call(prod, CREATE, { input: { url, eventTypes: ['order.confirmed'] } }, { partner: partnerA });
      expect(r.data!.createWebhookSubscription.userErrors[0]?.code, url).toBe('UNSAFE_URL');
    }
  });

  it('refuses them at delivery time too (a name that resolves to loopback, a literal address)', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const sender = createHttpSender({ allowPrivate: false });
      const byName = await sender.send({ url: `http://localhost:${port}/`, headers: {}, body: '{}', timeoutMs: 2000 });
      expect(byName.error).toMatch(/unsafe target/);
      const literal = await sender.send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 2000 });
      expect(literal.error).toMatch(/unsafe target/);
      expect(hits).toBe(0);
      // the control: the same receiver where private targets are allowed
      expect((await createHttpSender({ allowPrivate: true }).send({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 2000 })).status).toBe(200);
      expect(hits).toBe(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('will not start with private targets allowed', async () => {
    await expect(startWebhooks({ ...serviceEnv('webhooks'), NODE_ENV: 'production', WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' })).rejects.toThrow(/WEBHOOKS_ALLOW_PRIVATE_TARGETS/);
  });
});
