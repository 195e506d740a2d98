/**
 * The NATS users and permissions of the services (security review finding 2), against a real
 * nats-server started for this file on a free port with the generated users (natsAuthorizationConf,
 * what deploy/nats/users.conf holds; packages/infra's startNatsServer, as the development start
 * runs it). Services connect as in a deployment: connectEventBus with their user, the stream of
 * the production namespace (COMMERCE, `commerce.>`).
 *
 * Every test fails against a server without users: `NATS_PERMISSIONS_TEST_SERVER=open` runs the
 * same file against one (that is how it was checked; see README, Security).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import { AckPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findExecutable, freePort, startNatsServer } from '@commerce/infra';
import { eventually, testInfra, testLogger, uniqueDbName } from '@commerce/testing';
import {
  connectEventBus,
  ensureStream,
  eraseStreamMessages,
  natsAuthorizationConf,
  NATS_USERS,
  serviceDurables,
  startConsumer,
  STREAM_NAME,
  tailEvents,
  type EventBus,
  type EventEnvelope,
  type RunningConsumer,
} from '../src/index.ts';
import { CategoryCreated, CustomerRegistered, EventDeadLettered, PaymentAuthorized, PaymentRequested } from '../src/contracts/index.ts';

const OPEN = process.env.NATS_PERMISSIONS_TEST_SERVER === 'open';


let dir: string;
let url: string;
let server: { stop(): Promise<void> };
let mongo: MongoClient;
let db: Db;
const passwords: Record<string, string> = Object.fromEntries(NATS_USERS.map((u) => [u, `n${randomBytes(16).toString('hex')}`]));
const buses: EventBus[] = [];
const running: Array<{ stop(): Promise<void> }> = [];
const warnings: Array<{ user: string; details: Record<string, unknown> }> = [];

/** A bus as the service `user` connects it in a deployment (admin: no service). */
async function busOf(user: string): Promise<EventBus> {
  const bus = await connectEventBus({
    natsUrl: url,
    user,
    pass: passwords[user]!,
    ...(user === 'admin' ? {} : { service: user }),
    name: `permissions-test-${user}`,
    registry: new Registry(),
    consumerDefaults: { newConsumersFrom: 'all' },
    onWarning: (details) => void warnings.push({ user, details }),
  });
  buses.push(bus);
  return bus;
}

const money = { amount: 4200, currencyCode: 'USD' };
const authorized = (orderId: string) => PaymentAuthorized.create({ orderId, paymentId: `pay_${orderId}`, amount: money, brand: 'visa', last4: '4242' }, { aggregateId: `pay_${orderId}` });
const lastOn = async (admin: EventBus, subject: string): Promise<{ seq: number; event: EventEnvelope } | null> => {
  const msg = await admin.jsm.streams.getMessage(admin.stream, { last_by_subj: subject }).catch(() => null);
  return msg ? { seq: msg.seq, event: msg.json<EventEnvelope>() } : null;
};
/** a request on a JetStream API subject as a raw client would send it */
const rawRequest = (bus: EventBus, subject: string, body: unknown = {}) => bus.nc.request(subject, typeof body === 'string' ? body : JSON.stringify(body), { timeout: 3000 });

let admin: EventBus;
let orders: EventBus;
let payments: EventBus;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nats-permissions-'));
  const port = await freePort();
  url = `nats://127.0.0.1:${port}`;
  const bin = findExecutable('nats-server', process.env) ?? (fs.existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined);
  if (!bin) throw new Error('nats-server is needed for this test (PATH or /usr/sbin)');
  mongo = new MongoClient(testInfra().mongoUrl);
  await mongo.connect();
  db = mongo.db(uniqueDbName('natsperm'));
  // payments' durables are named after its database: the users are generated for this one
  const usersConf = OPEN ? null : natsAuthorizationConf({ dbNames: { payments: db.databaseName } });
  server = await startNatsServer({ bin, port, storeDir: path.join(dir, 'js'), dir, usersConf, passwords, env: process.env });
  // the first service to connect creates the stream (ensureStream): no admin step needed
  orders = await busOf('orders');
  payments = await busOf('payments');
  admin = await busOf('admin');
}, 30_000);

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => undefined);
  for (const b of buses) await b.close().catch(() => undefined);
  await server?.stop();
  await db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('NATS users and permissions per service', () => {
  it('refuses a connection without a user, or with a wrong password', async () => {
    await expect(connect({ servers: url, timeout: 3000, reconnect: false })).rejects.toThrow(/authorization violation/i);
    await expect(connect({ servers: url, user: 'orders', pass: passwords.payments!, timeout: 3000, reconnect: false })).rejects.toThrow(/authorization violation/i);
  });

  it("orders' user cannot publish a payments event (a forged payment-authorized); payments' user can", async () => {
    const forged = authorized('ord_forged');
    await expect(orders.publish(forged)).rejects.toThrow(/permissions violation/i);
    const genuine = authorized('ord_genuine');
    await payments.publish(genuine);
    // what the stream holds on that subject is the genuine one, never the forgery
    expect((await lastOn(admin, PaymentAuthorized.subject))?.event.id).toBe(genuine.id);
    // and orders may publish its own
    await orders.publish(PaymentRequested.create({ orderId: 'ord_own', customerId: 'cust_1', amount: money, paymentTokenRef: 'ptr_1', idempotencyKey: 'pay:ord_own' }, { aggregateId: 'ord_own' }));
    expect((await lastOn(admin, PaymentRequested.subject))?.event.data).toMatchObject({ orderId: 'ord_own' });
  });

  it('a service creates, pulls and acks its own durable consumer — and no consumer on what it does not consume, nor on another service’s durable', async () => {
    const handled: string[] = [];
    const consumer: RunningConsumer = await startConsumer({ bus: payments, db, logger: testLogger, name: 'payments-authorizations', contract: PaymentRequested, handle: async (e) => void handled.push(e.data.orderId) });
    running.push(consumer);
    expect(consumer.durable).toBe(serviceDurables('payments', { dbNames: { payments: db.databaseName } })[0]!.durable);
    await orders.publish(PaymentRequested.create({ orderId: 'ord_pulled', customerId: 'cust_1', amount: money, paymentTokenRef: 'ptr_2', idempotencyKey: 'pay:ord_pulled' }, { aggregateId: 'ord_pulled' }));
    await eventually(async () => handled.includes('ord_pulled'), 10_000);
    // acked: nothing pending, nothing waiting for an ack
    await eventually(async () => {
      const info = await admin.jsm.consumers.info(admin.stream, consumer.durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 10_000);

    // a consumer on events payments does not consume, durable or not, or without any filter
    await expect(payments.jsm.consumers.add(payments.stream, { durable_name: 'peek', filter_subject: CustomerRegistered.subject, ack_policy: AckPolicy.Explicit })).rejects.toThrow(/permissions violation/i);
    await expect(payments.js.consumers.get(payments.stream, { filter_subjects: 'commerce.>' })).rejects.toThrow(/permissions violation/i);
    await expect(rawRequest(payments, `$JS.API.CONSUMER.CREATE.${STREAM_NAME}`, { stream_name: STREAM_NAME, config: { ack_policy: 'none' } })).rejects.toThrow(/permissions violation/i);
    // another service's durable: neither pulled (its messages read or held), nor made first by someone else
    await expect(rawRequest(orders, `$JS.API.CONSUMER.MSG.NEXT.${STREAM_NAME}.${consumer.durable}`, { batch: 1, expires: 1_000_000_000 })).rejects.toThrow(/permissions violation/i);
    const catalog = await busOf('catalog'); // a service with ordered consumers: it may pull from consumers of any name but these
    await expect(rawRequest(catalog, `$JS.API.CONSUMER.MSG.NEXT.${STREAM_NAME}.${consumer.durable}`, { batch: 1, expires: 1_000_000_000 })).rejects.toThrow(/permissions violation/i);
    // nor acknowledged (or nak'ed, or terminated) for it
    await expect(rawRequest(orders, `$JS.ACK.${STREAM_NAME}.${consumer.durable}.1.1.1.${Date.now()}000000.0`, '+ACK')).rejects.toThrow(/permissions violation/i);
    await expect(catalog.jsm.consumers.delete(catalog.stream, consumer.durable)).rejects.toThrow(/permissions violation/i);
    const ordersSaga = serviceDurables('orders')[0]!;
    await expect(catalog.jsm.consumers.add(catalog.stream, { durable_name: ordersSaga.durable, filter_subject: 'commerce.catalog.>', ack_policy: AckPolicy.Explicit })).rejects.toThrow(/permissions violation/i);
  }, 30_000);

  it('dead-letter notices come from services that consume (they park); customers, which consumes nothing, may not announce one', async () => {
    const notice = EventDeadLettered.create(
      { consumer: 'commerce_payments_payments-captures--orders-order-confirmed-v1', eventId: 'e1', eventType: 'commerce.orders.order-confirmed.v1', orderId: 'ord_dl', error: 'boom', attempts: 5, parkedAt: new Date().toISOString() },
      { aggregateId: 'dl_1' },
    );
    const customers = await busOf('customers');
    await expect(customers.publish(notice)).rejects.toThrow(/permissions violation/i);
    await payments.publish(notice);
    expect((await lastOn(admin, EventDeadLettered.subject))?.event.id).toBe(notice.id);
  });

  it('ordered consumers (read models) only on the subjects a service follows', async () => {
    const catalog = await busOf('catalog');
    const seen: string[] = [];
    running.push(await tailEvents({ bus: catalog, subject: 'commerce.catalog.>', logger: testLogger, handle: (e) => void seen.push(e.id) }));
    const created = CategoryCreated.create({ id: 'cat_perm', name: 'Permissions', parentId: null, createdAt: new Date().toISOString() }, { aggregateId: 'cat_perm' });
    await catalog.publish(created);
    await eventually(async () => seen.includes(created.id), 10_000);
    // its consumer lost (deleted, as a restarted server loses it): the library makes a new one under
    // another name, which the permissions allow, and the read model misses nothing
    const ephemeral: string[] = [];
    for await (const c of await admin.jsm.consumers.list(admin.stream)) if (!c.config.durable_name && c.config.filter_subject === 'commerce.catalog.>') ephemeral.push(c.name);
    expect(ephemeral).toHaveLength(1);
    await admin.jsm.consumers.delete(admin.stream, ephemeral[0]!);
    const after = CategoryCreated.create({ id: 'cat_perm2', name: 'Permissions 2', parentId: null, createdAt: new Date().toISOString() }, { aggregateId: 'cat_perm2' });
    await catalog.publish(after);
    await eventually(async () => seen.includes(after.id), 15_000);
    // the same reader on payments' events: refused when the consumer is created
    await expect(tailEvents({ bus: catalog, subject: 'commerce.payments.>', logger: testLogger, handle: () => undefined })).rejects.toThrow(/permissions violation/i);
  }, 20_000);

  it('no service reads subjects or other inboxes directly: it may subscribe to its own inbox only', async () => {
    for (const subject of ['commerce.>', '_INBOX.>', '_INBOX.payments.>']) {
      const sub = orders.nc.subscribe(subject);
      // the server answers a refused SUB before the PONG of this flush
      await orders.nc.flush();
      expect(sub.isClosed(), subject).toBe(true);
      expect(String(await sub.closed)).toMatch(/permissions violation/i);
    }
  });

  it('services may not delete, purge or reconfigure the stream; a changed stream is left to the admin', async () => {
    const before = await admin.jsm.streams.info(admin.stream);
    await expect(payments.jsm.streams.purge(payments.stream)).rejects.toThrow(/permissions violation/i);
    await expect(payments.jsm.streams.delete(payments.stream)).rejects.toThrow(/permissions violation/i);
    await expect(payments.jsm.streams.update(payments.stream, { max_age: 1_000_000_000 })).rejects.toThrow(/permissions violation/i);
    const after = await admin.jsm.streams.info(admin.stream);
    expect(after.state.messages).toBe(before.state.messages);
    expect(after.config.max_age).toBe(before.config.max_age);

    // the admin changed the stream: a service that starts now keeps working and says it may not change it back
    await admin.jsm.streams.update(admin.stream, { duplicate_window: 60_000_000_000 });
    warnings.length = 0;
    await busOf('support');
    expect(warnings).toEqual([{ user: 'support', details: expect.objectContaining({ stream: STREAM_NAME, fields: ['duplicate_window'] }) }]);
    expect((await admin.jsm.streams.info(admin.stream)).config.duplicate_window).toBe(60_000_000_000);
    expect(await ensureStream(admin.jsm)).toBe('updated');
  }, 20_000);

  it('analytics may erase a message from the stream (forgetMyActivity); no other service may', async () => {
    const target = await lastOn(admin, PaymentRequested.subject);
    expect(target).not.toBeNull();
    await expect(eraseStreamMessages(orders, [target!.seq])).rejects.toThrow(/permissions violation/i);
    expect((await lastOn(admin, PaymentRequested.subject))?.seq).toBe(target!.seq);
    const analytics = await busOf('analytics');
    expect(await eraseStreamMessages(analytics, [target!.seq])).toBe(1);
    expect(await admin.jsm.streams.getMessage(admin.stream, { seq: target!.seq }).catch(() => null)).toBeNull();
  });
});
