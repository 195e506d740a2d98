import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, natsAuthorizationConf, NATS_USERS, type EventBus } from '@commerce/events';
import { findExecutable, freePort, startNatsServer } from '@commerce/infra';
import { durablesOf, eventually, testInfra, uniqueDbName, waitQuiet, TEST_EVENTS } from '@commerce/testing';
import { SERVICES, startPlatform, type Platform, type ServiceName } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * The whole platform with every service on its own NATS user (security review finding 2): a
 * nats-server of this file's own with the users generated from SERVICE_EVENTS, for this run's
 * namespace and databases. Every service starts (its stream, durables, read-model tails), a
 * checkout is confirmed and another declined, and every durable of every service then has
 * delivered and acked everything and every outbox is published — so the table of who publishes
 * and consumes what is complete for the code that runs (a missing entry is a permissions
 * violation: a service that does not start, or an event that never leaves an outbox).
 */
let platform: Platform;
let shop: Shop;
let admin: EventBus;
let client: MongoClient;
let server: { stop(): Promise<void> };
let dir: string;


beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nats-users-'));
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const passwords: Record<string, string> = Object.fromEntries(NATS_USERS.map((u) => [u, `n${randomBytes(16).toString('hex')}`]));
  const dbNames = Object.fromEntries(SERVICES.map((s) => [s, uniqueDbName(s)])) as Record<ServiceName, string>;
  const bin = findExecutable('nats-server', process.env) ?? (fs.existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined);
  if (!bin) throw new Error('nats-server is needed for this test (PATH or /usr/sbin)');
  server = await startNatsServer({ bin, port, storeDir: path.join(dir, 'js'), dir, usersConf: natsAuthorizationConf({ namespace: TEST_EVENTS.namespace, dbNames }), passwords, env: process.env });
  platform = await startPlatform({
    env: { NATS_URL: url },
    serviceEnv: Object.fromEntries(SERVICES.map((s) => [s, { NATS_USER: s, NATS_PASSWORD: passwords[s]!, [`${s.toUpperCase()}_DB_NAME`]: dbNames[s] }])),
  });
  shop = new Shop(platform);
  client = new MongoClient(testInfra().mongoUrl);
  admin = await connectEventBus({ natsUrl: url, user: 'admin', pass: passwords.admin!, name: 'nats-users-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
}, 180_000);

afterAll(async () => {
  await admin?.close();
  await platform?.stop();
  await server?.stop();
  await client?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('every service on its own NATS user', () => {
  it('checkouts confirm and decline, and every consumer and outbox of every service drains', async () => {
    const item = await shop.product({ stock: 3 });
    const buyer = await shop.customer();
    const paid = await shop.placeOrder(buyer.token, await shop.cartWith(buyer.token, item.variantId, 1));
    expect((await shop.settled(buyer.token, paid.data.placeOrder.order.id, 60_000)).status).toBe('CONFIRMED');
    const declined = await shop.placeOrder(buyer.token, await shop.cartWith(buyer.token, item.variantId, 1), { paymentToken: 'tok_chargeDeclined' });
    const cancelled = await shop.settled(buyer.token, declined.data.placeOrder.order.id, 60_000);
    expect(cancelled.status).toBe('CANCELLED');

    const durables = await durablesOf(admin, Object.values(platform.dbNames));
    // the durables of inventory, orders, payments, cart, reviews, support, analytics and catalog
    for (const s of ['catalog', 'orders', 'inventory', 'cart', 'payments', 'reviews', 'support', 'analytics'] as const) {
      expect(durables.some((d) => d.startsWith(`${platform.dbNames[s]}_`)), s).toBe(true);
    }
    const outboxes = SERVICES.map((s) => (s === 'orders' ? { db: client.db(platform.dbNames.orders), outbox: 'order_events' } : client.db(platform.dbNames[s])));
    await waitQuiet({ bus: admin, durables, dbs: outboxes, timeoutMs: 60_000 });
    // nothing any service did on the way was refused (nats-server logs every refused publish or subscription)
    expect(fs.readFileSync(path.join(dir, 'nats.log'), 'utf8').match(/.*violation.*/gi) ?? []).toEqual([]);
    // inventory's availability read model (an ordered consumer on stock-level-changed) followed: one sold, one released
    await eventually(async () => (await shop.available(item.handle)) === 2, 10_000);
  }, 180_000);
});
