import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus } from '@commerce/events';
import { OrderPlaced, StockReserved } from '@commerce/events/contracts';
import { durablesOf, eventually, observeEvents, testInfra, waitQuiet, TEST_EVENTS, type EventObserver, type QuietScope } from '@commerce/testing';
import { checkConsistency } from '../../scripts/lib/consistency.ts';
import { SERVICES, startPlatform, type Platform, type ServiceName } from './platform.ts';
import { Shop } from './shop.ts';
import { freePort } from '@commerce/infra';

/**
 * Failure paths of the checkout saga. This file runs the platform on a NATS server of its own,
 * so it can restart the broker without disturbing other test files.
 */
let nats: ChildProcess | undefined;
let natsPort: number;
let natsDir: string;
let platform: Platform;
let shop: Shop;
let client: MongoClient;
/** this file's own connection to the private broker (it reconnects after a restart) */
let bus: EventBus;


async function startNats(): Promise<void> {
  nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(natsPort), '-sd', natsDir], { stdio: 'ignore' });
  await eventually(async () => {
    const { connect } = await import('@nats-io/transport-node');
    const nc = await connect({ servers: `nats://127.0.0.1:${natsPort}`, timeout: 500 }).catch(() => undefined);
    if (!nc) return false;
    await nc.close();
    return true;
  }, 10_000, 100);
}

async function stopNats(): Promise<void> {
  const proc = nats;
  if (!proc || proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

const dbs = () => ({ orders: client.db(platform.dbNames.orders), inventory: client.db(platform.dbNames.inventory), payments: client.db(platform.dbNames.payments) });

/**
 * The platform's services (all, or all but `except`) for waitQuiet: every durable consumer of
 * theirs, every outbox (orders': its order streams), and the test's observers.
 */
async function platformScope(opts: { except?: ServiceName[]; observers?: EventObserver[] } = {}): Promise<QuietScope> {
  const services = SERVICES.filter((s) => !opts.except?.includes(s));
  const durables = await durablesOf(bus, services.map((s) => platform.dbNames[s]));
  const outboxes = services.map((s) => (s === 'orders' ? { db: client.db(platform.dbNames.orders), outbox: 'order_events' } : client.db(platform.dbNames[s])));
  return { bus, durables: [...durables, ...(opts.observers ?? [])], dbs: outboxes };
}

beforeAll(async () => {
  natsPort = await freePort();
  natsDir = mkdtempSync(join(tmpdir(), 'nats-faults-'));
  await startNats();
  platform = await startPlatform({ env: { NATS_URL: `nats://127.0.0.1:${natsPort}` }, serviceEnv: { orders: { ORDER_SAGA_TIMEOUT_MS: '60000' } } });
  shop = new Shop(platform);
  client = new MongoClient(testInfra().mongoUrl);
  bus = await connectEventBus({ natsUrl: `nats://127.0.0.1:${natsPort}`, name: 'faults-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
}, 120_000);

afterAll(async () => {
  await bus?.close();
  await platform?.stop();
  await stopNats();
  await client?.close();
  rmSync(natsDir, { recursive: true, force: true });
});

describe('faults during checkout', () => {
  it('payments down mid-checkout: the order completes once payments is back, stock and payment consistent', async () => {
    const item = await shop.product({ stock: 4 });
    const buyer = await shop.customer();
    const cartId = await shop.cartWith(buyer.token, item.variantId, 1);
    await platform.stopService('payments');
    const placed = await shop.placeOrder(buyer.token, cartId);
    const orderId = placed.data.placeOrder.order.id;
    await eventually(async () => (await shop.available(item.handle)) === 3); // reserved while payments is down
    // every other service has handled all it was sent and published all it committed: the order
    // waits for payments alone, whose request waits in JetStream
    await waitQuiet(await platformScope({ except: ['payments'] }));
    expect((await shop.order(buyer.token, orderId)).status).toBe('PENDING');
    const waiting = await Promise.all((await durablesOf(bus, [platform.dbNames.payments])).map((d) => bus.jsm.consumers.info(bus.stream, d)));
    expect(waiting.reduce((n, info) => n + info.num_pending, 0)).toBeGreaterThan(0);
    await platform.restartService('payments');
    const order = await shop.settled(buyer.token, orderId, 30_000);
    expect(order.status).toBe('CONFIRMED');
    const report = await checkConsistency(dbs(), { settleMs: 10_000 });
    expect(report.discrepancies).toEqual([]);
  }, 90_000);

  it('NATS restarted mid-saga: no event is lost and every order reaches a terminal state', async () => {
    const item = await shop.product({ stock: 3 });
    const buyers = await Promise.all(Array.from({ length: 5 }, () => shop.customer()));
    const carts = await Promise.all(buyers.map((b) => shop.cartWith(b.token, item.variantId, 1)));
    const placing = Promise.all(buyers.map((b, i) => shop.placeOrder(b.token, carts[i]!)));
    await new Promise((r) => setTimeout(r, 30));
    await stopNats();
    const placed = await placing; // placeOrder commits locally; publishing waits for the broker
    await new Promise((r) => setTimeout(r, 1500));
    await startNats();
    const orders = await Promise.all(placed.map((p, i) => shop.settled(buyers[i]!.token, p.data.placeOrder.order.id, 60_000)));
    expect(orders.filter((o) => o.status === 'CONFIRMED')).toHaveLength(3);
    expect(orders.filter((o) => o.status === 'CANCELLED' && o.cancellationReason === 'OUT_OF_STOCK')).toHaveLength(2);
    expect(await shop.available(item.handle)).toBe(0);
    const report = await checkConsistency(dbs(), { settleMs: 15_000 });
    expect(report.discrepancies).toEqual([]);
  }, 120_000);

  it('the same order-placed delivered twice reserves once', async () => {
    const item = await shop.product({ stock: 5 });
    const buyer = await shop.customer();
    const cartId = await shop.cartWith(buyer.token, item.variantId, 2);
    const placed = await shop.placeOrder(buyer.token, cartId);
    const orderId = placed.data.placeOrder.order.id;
    expect((await shop.settled(buyer.token, orderId)).status).toBe('CONFIRMED');
    expect(await shop.available(item.handle)).toBe(3);
    // replay the order's OrderPlaced under a new message id (past JetStream's dedup)
    const entry = await client.db(platform.dbNames.orders).collection('order_events').findOne({ _id: `orders:${orderId}:1` as never });
    const event = (entry as unknown as { events: Array<{ type: string }> }).events.find((e) => e.type === OrderPlaced.type)!;
    await waitQuiet(await platformScope()); // the order's own events are all handled: what comes next answers the replay
    const inventoryEvents = await observeEvents({ bus, subject: 'commerce.inventory.>' });
    try {
      await bus.publishRaw(OrderPlaced.subject, JSON.stringify(event), `replay-${orderId}`);
      // every service handled the replay and published whatever it committed; the observer saw it all
      await waitQuiet(await platformScope({ observers: [inventoryEvents] }));
      expect(await shop.available(item.handle)).toBe(3);
      // nothing published in answer to the replay, and one stock-reserved committed for the order, ever
      expect(inventoryEvents.seen.filter((e) => (e.data as { orderId?: string }).orderId === orderId)).toEqual([]);
      const entries = await client.db(platform.dbNames.inventory).collection('outbox').find({ aggregateId: `res_${orderId}` }).toArray();
      expect(entries.flatMap((e) => (e.events as Array<{ type: string }>).filter((ev) => ev.type === StockReserved.type))).toHaveLength(1);
    } finally {
      await inventoryEvents.stop();
    }
  }, 60_000);
});
