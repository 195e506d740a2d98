import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf } from '@commerce/events';
import { CustomerRegistered } from '@commerce/events/contracts';
import { eventually, observeEvents, waitQuiet, type EventObserver, type OutboxDb } from '@commerce/testing';
import { SIGN_UP, startTestCustomers, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

let t: TestCustomers;
/** every customer-registered on the stream since the start, copies included */
let observer: EventObserver;
const seen = () => observer.seen as Array<EventOf<typeof CustomerRegistered>>;
/** everything the service committed is published, and the observer has seen it */
const quiet = () => waitQuiet({ bus: t.svc.bus, durables: [observer], dbs: [t.svc.conn.db as unknown as OutboxDb] });

beforeAll(async () => {
  t = await startTestCustomers();
  observer = await observeEvents({ bus: t.svc.bus, subject: CustomerRegistered.subject });
});

afterAll(async () => {
  await observer?.stop();
  await t?.stop();
});

describe('customer-registered.v1', () => {
  it('is published once per sign-up, through the outbox, without the password hash', async () => {
    const email = uniqueEmail('event');
    const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password: 'event-password', name: 'Eve Event' } }, null);
    const customer = res.data!.signUp.customer!;
    expect(customer).toBeTruthy();

    const event = await eventually(async () => seen().find((e) => e.aggregateId === customer.id), 10_000);
    expect(event.type).toBe('commerce.customers.customer-registered.v1');
    expect(event.data).toEqual({ id: customer.id, email, name: 'Eve Event', roles: ['CUSTOMER'], createdAt: expect.any(String) });
    expect(event.correlationId).toMatch(/^r-/); // the request that caused it

    // what went on the wire is exactly what the outbox holds: no hash in the event
    // the relay marks the entry after JetStream acked the publish, so the event may arrive first
    const entry = await eventually(async () => {
      const e = await t.svc.conn.collection('outbox').findOne({ aggregateId: customer.id });
      return e?.status === 'published' ? e : undefined;
    }, 5000);
    expect(JSON.stringify(entry?.events)).not.toContain('scrypt$');
    expect(Object.keys((entry?.events as Array<{ data: object }>)[0]!.data).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'roles']);

    await quiet();
    expect(seen().filter((e) => e.aggregateId === customer.id)).toHaveLength(1);
  });

  it('is not published for a sign-up that lost its email', async () => {
    const email = uniqueEmail('dup-event');
    const first = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password: 'event-password', name: 'First' } });
    const second = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password: 'event-password', name: 'Second' } });
    expect(second.data!.signUp.userErrors[0]?.code).toBe('EMAIL_TAKEN');
    await eventually(async () => seen().some((e) => e.aggregateId === first.data!.signUp.customer!.id), 10_000);
    await quiet();
    expect(seen().filter((e) => e.data.email === email)).toHaveLength(1);
  });
});
