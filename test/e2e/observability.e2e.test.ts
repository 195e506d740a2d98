import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliverPolicy } from '@nats-io/jetstream';
import { connectEventBus, eventLogger, tracedConsume, type EventBus } from '@commerce/events';
import { allow, createLogger, InMemorySpanExporter, parseRouterPublicKey, SimpleSpanProcessor, startSubgraphServer, startTelemetry, type BaseContext, type Telemetry } from '@commerce/platform';
import { eventually, gql, TEST_EVENTS, TEST_ROUTER_PUBLIC_KEY, testInfra, testRouterContext } from '@commerce/testing';
import { contractOperation, send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * Observability through the platform: one W3C trace from the client through the router, the
 * subgraphs, the events (NATS headers and envelopes) and their consumers' log lines; and the
 * Prometheus metrics the dashboard reads.
 */
let platform: Platform;
let shop: Shop;
let bus: EventBus;
let telemetry: Telemetry;

beforeAll(async () => {
  // OpenTelemetry as a service process has it (spans recorded in memory only, never exported)
  telemetry = startTelemetry({ serviceName: 'observability-e2e', env: { NODE_ENV: 'test' }, spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  platform = await startPlatform({ seedProducts: 20 });
  shop = new Shop(platform);
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'observability-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
}, 120_000);
afterAll(async () => {
  await bus?.close();
  await platform?.stop();
  await telemetry?.shutdown();
});

async function metricsOf(url: string): Promise<string> {
  return (await fetch(new URL('/metrics', url))).text();
}

/** The value of the sample `name{…}` whose labels include every `label="value"` given. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('trace context', () => {
  it("travels from the client's traceparent to the events it causes, in NATS headers and envelopes", async () => {
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const consumer = await bus.js.consumers.get(bus.stream, { filter_subjects: bus.subject('commerce.catalog.>'), deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume({ expires: 5000 });
    const seen: Array<{ header: string | undefined; envelope: string | undefined; handle: string }> = [];
    const reading = (async () => {
      for await (const msg of messages) {
        const env = msg.json<{ traceparent?: string; data: { handle?: string } }>();
        seen.push({ header: msg.headers?.get('traceparent'), envelope: env.traceparent, handle: env.data.handle ?? '' });
        msg.ack();
      }
    })();
    try {
      const handle = `traced-${randomBytes(4).toString('hex')}`;
      const r = await gql<any>(
        platform.router.url,
        contractOperation('CreateProduct'),
        { input: { handle, title: 'Traced', variants: [{ sku: `TR-${handle}`, title: 'Default', price: { amount: '5.00', currencyCode: 'USD' } }] } },
        { authorization: `Bearer ${await shop.admin()}`, traceparent },
      );
      expect(r.data!.createProduct.userErrors).toEqual([]);
      const event = await eventually(async () => seen.find((s) => s.handle === handle), 5000, 20);
      // same trace: the envelope names the span of the request that committed the event, the
      // header the publish span (its child); neither is the client's own span
      expect(event.header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(event.envelope).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(event.header).not.toBe(event.envelope);
      expect([event.header, event.envelope]).not.toContain(traceparent);
    } finally {
      await messages.close();
      await reading;
    }
  });

  it('is in every log line a subgraph writes for the request, and in consumer log lines for its events', async () => {
    const lines: string[] = [];
    const logger = createLogger('traced', 'info', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const server = await startSubgraphServer<BaseContext>({
      name: 'traced',
      typeDefs: 'type Query { hello: String! }',
      resolvers: {
        Query: {
          hello: (_: unknown, __: unknown, ctx: BaseContext) => {
            ctx.logger.info('resolving hello');
            return 'world';
          },
        },
      },
      permissions: { Query: { '*': allow } },
      host: '127.0.0.1',
      port: 0,
      nodeEnv: 'test',
      routerKey: parseRouterPublicKey(TEST_ROUTER_PUBLIC_KEY),
      logger,
      context: (base) => base,
      readiness: {},
    });
    try {
      const traceId = randomBytes(16).toString('hex');
      const context = await testRouterContext('traced', null, { requestId: 'req-traced', traceparent: `00-${traceId}-${'a'.repeat(16)}-01` });
      const r = await gql(server.url, '{ hello }', {}, { 'x-commerce-context': context });
      expect(r.data).toEqual({ hello: 'world' });
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'resolving hello');
      expect(line).toMatchObject({ requestId: 'req-traced', trace_id: traceId });
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await server.stop();
    }

    const eventLine: string[] = [];
    const consumerLog = createLogger('consumer', 'info', new Writable({ write: (chunk, _enc, done) => (eventLine.push(String(chunk)), done()) }));
    const traceId = randomBytes(16).toString('hex');
    const event = { id: 'evt_1', type: 'commerce.test.happened', correlationId: 'req-1', traceparent: `00-${traceId}-${'b'.repeat(16)}-01` };
    // a handler runs in its CONSUMER span (here from the envelope: no message headers)
    await tracedConsume(null, event, { consumer: 'test', durable: 'test' }, async () => eventLogger(consumerLog, event).info('handled'));
    const handled = JSON.parse(eventLine[0]!);
    expect(handled).toMatchObject({ eventId: 'evt_1', eventType: 'commerce.test.happened', correlationId: 'req-1', trace_id: traceId, msg: 'handled' });
    expect(handled.span_id).not.toBe('b'.repeat(16));
  });
});

describe('metrics', () => {
  it('count DataLoader batches, checkout outcomes, subgraph fetches and events', async () => {
    const listing = await send<any>(platform, 'ProductListing', { first: 20 });
    expect(listing.data!.products.edges).toHaveLength(20);
    const inventoryMetrics = await metricsOf(platform.services.inventory.url);
    // the availability of 20+ variants came in one batch, not one by one
    const batches = sample(inventoryMetrics, 'dataloader_batch_size_count', { loader: 'availability' })!;
    const keys = sample(inventoryMetrics, 'dataloader_batch_size_sum', { loader: 'availability' })!;
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(keys / batches).toBeGreaterThanOrEqual(20);

    const product = await shop.product({ price: '4.00', stock: 2 });
    const buyer = await shop.customer();
    const cartId = await shop.cartWith(buyer.token, product.variantId, 1);
    const placed = (await shop.placeOrder(buyer.token, cartId)).data.placeOrder.order;
    expect((await shop.settled(buyer.token, placed.id)).status).toBe('CONFIRMED');
    const ordersMetrics = await eventually(async () => {
      const text = await metricsOf(platform.orders.url);
      return /saga_outcomes_total\{[^}]*outcome="confirmed"[^}]*\} [1-9]/.test(text) ? text : undefined;
    });
    expect(ordersMetrics).toMatch(/saga_duration_seconds_count\{[^}]*outcome="confirmed"[^}]*\} [1-9]/);
    expect(ordersMetrics).toMatch(/events_published_total\{[^}]*type="commerce\.orders\.order-placed[^"]*"/);
    expect(ordersMetrics).toMatch(/events_consumed_total\{/);

    const routerMetrics = await metricsOf(platform.router.url);
    expect(routerMetrics).toMatch(/router_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="inventory"/);
    expect(routerMetrics).toMatch(/router_query_cost_count\{[^}]*client_class="anonymous"/);
    expect(routerMetrics).toMatch(/graphql_operation_duration_seconds_count\{[^}]*operation="ProductListing"/);
  });
});
