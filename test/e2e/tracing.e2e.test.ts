import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { connectEventBus, type EventBus } from '@commerce/events';
import { InMemorySpanExporter, SimpleSpanProcessor, startTelemetry, type ReadableSpan, type Telemetry } from '@commerce/platform';
import { durablesOf, testInfra, waitQuiet, TEST_EVENTS } from '@commerce/testing';
import { SERVICES, startPlatform, type Platform, type ServiceName } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * OpenTelemetry across the platform: every service runs in this process, so one tracer provider
 * (an in-memory exporter, nothing exported anywhere) sees every span. One checkout through the
 * router is one trace: the router's request span → the orders subgraph → cart's internal route;
 * orders' commit → the outbox relay's NATS publish → inventory's reservation consumer → … →
 * payments → the orders saga, each consumer span a child of the publish span of its event.
 */
let platform: Platform;
let shop: Shop;
let bus: EventBus;
let client: MongoClient;
let telemetry: Telemetry;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  // no OTEL_EXPORTER_OTLP_* here: the only processor is the in-memory one
  telemetry = startTelemetry({ serviceName: 'e2e', env: { NODE_ENV: 'test', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  expect(telemetry.recording).toBe(true);
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'tracing-e2e', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  platform = await startPlatform({ serviceEnv: { orders: { ORDER_SAGA_TIMEOUT_MS: '120000' } } });
  shop = new Shop(platform);
  client = new MongoClient(testInfra().mongoUrl);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await client?.close();
  await bus?.close();
  await telemetry?.shutdown();
});

const attr = (s: ReadableSpan, name: string) => s.attributes[name];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** The service a span belongs to: its `commerce.service`, else (consumers) the database prefix of its durable. */
function serviceOf(s: ReadableSpan, dbNames: Record<ServiceName, string>): string | undefined {
  const named = attr(s, 'commerce.service');
  if (typeof named === 'string') return named;
  const durable = attr(s, 'messaging.consumer.group.name');
  if (typeof durable !== 'string') return undefined;
  return SERVICES.find((name) => durable.startsWith(`${dbNames[name].replace(/[^A-Za-z0-9_-]/g, '_')}_`));
}

describe('tracing (OpenTelemetry)', () => {
  it('one checkout is one trace: router → orders → cart, and outbox → NATS → inventory, payments and the orders saga', async () => {
    const item = await shop.product({ price: '12.50', stock: 5 });
    const buyer = await shop.customer();
    const cartId = await shop.cartWith(buyer.token, item.variantId, 1);
    // settle whatever the set-up caused, then look only at the checkout
    const quiet = async () =>
      waitQuiet({
        bus,
        durables: await durablesOf(bus, SERVICES.map((s) => platform.dbNames[s])),
        dbs: SERVICES.map((s) => (s === 'orders' ? { db: client.db(platform.dbNames.orders), outbox: 'order_events' } : client.db(platform.dbNames[s]))),
        timeoutMs: 30_000,
      });
    await quiet();
    exporter.reset();

    const placed = await shop.placeOrder(buyer.token, cartId);
    expect(placed.data.placeOrder.userErrors).toEqual([]);
    const orderId = placed.data.placeOrder.order.id as string;
    expect((await shop.settled(buyer.token, orderId)).status).toBe('CONFIRMED');
    // consumers end their span before they ack: once quiet, every consumer span has ended
    await quiet();

    const all = exporter.getFinishedSpans();
    const request = all.find((s) => s.kind === SpanKind.SERVER && attr(s, 'commerce.service') === 'router' && attr(s, 'graphql.operation.name') === 'PlaceOrder');
    expect(request, 'the router request span of PlaceOrder').toBeDefined();
    const traceId = request!.spanContext().traceId;
    const trace = all.filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    const ancestors = (s: ReadableSpan): ReadableSpan[] => {
      const out: ReadableSpan[] = [];
      for (let p = parentOf(s); p && byId.has(p); p = parentOf(byId.get(p)!)) out.push(byId.get(p)!);
      return out;
    };
    const descendsFrom = (s: ReadableSpan, ancestor: ReadableSpan) => ancestors(s).includes(ancestor);
    const service = (s: ReadableSpan) => serviceOf(s, platform.dbNames);

    // every span of the trace hangs off the router's request span: nothing is orphaned
    expect(request!.parentSpanContext).toBeUndefined();
    for (const s of trace) if (s !== request) expect(descendsFrom(s, request!), `${s.name} (${service(s)}) under the router span`).toBe(true);

    // router → orders subgraph → cart's internal route (HTTP, W3C traceparent)
    const ordersOp = trace.find((s) => s.kind === SpanKind.SERVER && service(s) === 'orders' && s.name === 'POST /graphql');
    expect(ordersOp, 'the orders subgraph span').toBeDefined();
    const cartRead = trace.find((s) => s.kind === SpanKind.SERVER && service(s) === 'cart' && s.name === 'GET /internal/cart');
    expect(cartRead, "cart's internal route span").toBeDefined();
    expect(descendsFrom(cartRead!, ordersOp!)).toBe(true);

    // orders commits order-placed inside its request; the relay's NATS publish is a child of that context
    const publishOf = (type: RegExp) => trace.filter((s) => s.kind === SpanKind.PRODUCER && type.test(String(attr(s, 'commerce.event.type'))));
    const consumersOf = (type: RegExp, svc: string) => trace.filter((s) => s.kind === SpanKind.CONSUMER && service(s) === svc && type.test(String(attr(s, 'commerce.event.type'))));
    const orderPlaced = publishOf(/^commerce\.orders\.order-placed\.v\d+$/);
    expect(orderPlaced).toHaveLength(1);
    expect(attr(orderPlaced[0]!, 'messaging.system')).toBe('nats');
    expect(descendsFrom(orderPlaced[0]!, ordersOp!)).toBe(true);

    // each saga step: the consumer span is a child of the publish span of the event it handles,
    // in the service that owns the step (the trace id travelled in the NATS headers)
    // [event type, the service handling it, the step whose handler published it]
    const steps: Array<[RegExp, ServiceName, number | null]> = [
      [/^commerce\.orders\.order-placed\.v\d+$/, 'inventory', null],
      [/^commerce\.inventory\.stock-reserved\.v\d+$/, 'orders', 0],
      [/^commerce\.orders\.payment-requested\.v\d+$/, 'payments', 1],
      [/^commerce\.payments\.payment-authorized\.v\d+$/, 'orders', 2],
      [/^commerce\.orders\.order-confirmed\.v\d+$/, 'inventory', 3],
      [/^commerce\.orders\.order-confirmed\.v\d+$/, 'payments', 3],
    ];
    const handledAt: ReadableSpan[][] = [];
    for (const [type, svc, after] of steps) {
      const handled = consumersOf(type, svc);
      expect(handled.length, `${svc} handled ${type} in this trace`).toBeGreaterThanOrEqual(1);
      const publishes = publishOf(type);
      for (const c of handled) {
        const parent = byId.get(parentOf(c)!);
        expect(parent !== undefined && publishes.includes(parent), `${c.name} in ${svc}: child of the publish span`).toBe(true);
      }
      // the event was published from within the previous step's handler (its commit's context)
      if (after !== null) expect(handled.some((c) => handledAt[after]!.some((prev) => descendsFrom(c, prev))), `${type} in ${svc} after step ${after}`).toBe(true);
      handledAt.push(handled);
    }
    // the inventory reservation ran its database work and publish inside its consumer span
    const reservation = consumersOf(/order-placed/, 'inventory')[0]!;
    const stockReserved = publishOf(/^commerce\.inventory\.stock-reserved\.v\d+$/);
    expect(stockReserved.some((p) => descendsFrom(p, reservation))).toBe(true);
  });
});
