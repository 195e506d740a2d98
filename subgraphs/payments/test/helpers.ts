import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus, type EventContract, type EventEnvelope, type OutboxEntry } from '@commerce/events';
import { keepPaymentToken, PaymentRequested } from '@commerce/events/contracts';
import { createRedis, newId, type Money, type Redis } from '@commerce/platform';
import { eventually, isQuiet, observeEvents, serviceEnv, testInfra, uniqueSuffix, waitQuiet, TEST_EVENTS, type EventObserver, type QuietScope } from '@commerce/testing';
import type { Cause } from '../src/domain/deps.ts';
import { paymentIdFor } from '../src/domain/payment.ts';
import type { PaymentProvider } from '../src/domain/provider.ts';
import { startPayments, type PaymentsService } from '../src/index.ts';

/** What the provider was asked, across every instance of a test (wrappers share one log). */
export class ProviderLog {
  readonly authorize: string[] = []; // idempotency keys
  readonly capture: string[] = [];
  readonly void: string[] = [];
  readonly refund: string[] = []; // provider refs
  /** every refund call, with its amount (minor units) and idempotency key (the refund id) */
  readonly refundCalls: Array<{ ref: string; amount: number; key: string }> = [];
  /** authorizations of an order fail (throw) this many more times */
  readonly failAuthorize = new Map<string, number>();
  /** extra latency of an order's authorization, in ms */
  readonly authorizeDelay = new Map<string, number>();

  authorizeCalls(orderId: string): number {
    return this.authorize.filter((k) => k.startsWith(`${orderId}:`)).length;
  }

  wrap(inner: PaymentProvider): PaymentProvider {
    return {
      name: inner.name,
      authorize: async (req) => {
        this.authorize.push(req.idempotencyKey);
        const orderId = req.idempotencyKey.split(':')[0]!;
        const delay = this.authorizeDelay.get(orderId);
        if (delay) await new Promise((r) => setTimeout(r, delay));
        const failures = this.failAuthorize.get(orderId) ?? 0;
        if (failures > 0) {
          this.failAuthorize.set(orderId, failures - 1);
          throw new Error('provider unavailable (simulated)');
        }
        return inner.authorize(req);
      },
      capture: (ref, amount) => {
        this.capture.push(ref);
        return inner.capture(ref, amount);
      },
      void: (ref) => {
        this.void.push(ref);
        return inner.void(ref);
      },
      refund: (ref, amount, key) => {
        this.refund.push(ref);
        this.refundCalls.push({ ref, amount: amount.amount, key });
        return inner.refund(ref, amount, key);
      },
    };
  }
}

export const USD = (amount: number): Money => ({ amount, currencyCode: 'USD' });
export const newCustomerId = () => newId('cust');
export const cause = (): Cause => ({ id: randomUUID(), correlationId: randomUUID() });

/**
 * One payments service (or several sharing a database and consumer group) plus a test bus that
 * publishes orders' events and records every payments event. Durables are unique to the harness
 * and start from new events, so other test files' events and durables stay out of the way.
 */
export class Harness {
  readonly log = new ProviderLog();
  readonly services: PaymentsService[] = [];
  readonly tokens = new Set<string>();
  /** the orders of this harness: its instances handle events about these only */
  readonly orders = new Set<string>();
  /** the payment-token store's references this harness kept, per `<orderId>:<token>` */
  readonly refs = new Map<string, string>();
  private bus!: EventBus;
  /** the platform's Redis, where orders keeps checkout tokens (the payment-token store) */
  redis!: Redis;
  /** every payments event on the stream since the start */
  private observer!: EventObserver;
  readonly env: NodeJS.ProcessEnv;

  constructor(extraEnv: Record<string, string> = {}) {
    this.env = serviceEnv('payments', { ...extraEnv });
  }

  get svc(): PaymentsService {
    return this.services[0]!;
  }

  /** every payments event on the stream since the start (complete once quiet) */
  get seen(): EventEnvelope[] {
    return this.observer.seen;
  }

  /** the payments consumers (shared by every instance), the observer and the outbox */
  private scope(): QuietScope {
    return { bus: this.bus, durables: [...this.svc.consumers, this.observer], dbs: [this.svc.db] };
  }

  /**
   * Resolves once every handler that will run has finished, everything committed is published and
   * the observer has seen it: counting events or provider calls is exact from then on.
   */
  async quiet(timeoutMs = 15_000): Promise<void> {
    await waitQuiet({ ...this.scope(), timeoutMs });
  }

  async start(): Promise<this> {
    this.bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'payments-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
    this.redis = createRedis(testInfra().redisUrl);
    this.observer = await observeEvents({ bus: this.bus, subject: 'commerce.payments.>' });
    await this.addInstance();
    return this;
  }

  /** Another instance on the same database and durables (a scaled-out deployment). */
  async addInstance(extraEnv: Record<string, string> = {}): Promise<PaymentsService> {
    const svc = await startPayments(
      { ...this.env, ...extraEnv },
      { monitorCommands: true, wrapProvider: (p) => this.log.wrap(p) },
    );
    this.services.push(svc);
    return svc;
  }

  /** A new order id that this harness's instances will handle. */
  newOrderId(): string {
    const id = newId('ord');
    this.orders.add(id);
    return id;
  }

  async publish<C extends EventContract>(contract: C, data: Parameters<C['create']>[0], aggregateId: string): Promise<EventEnvelope> {
    const token = (data as { paymentToken?: string }).paymentToken;
    if (token) this.tokens.add(token);
    const event = contract.create(data, { aggregateId });
    await this.bus.publish(event);
    return event;
  }

  /**
   * Publishes a `payment-requested` the way orders does: the token goes into the payment-token
   * store (once per order and token, as orders keeps it once per order), the event carries only
   * its reference.
   */
  async requestPayment(data: { orderId: string; customerId: string; amount: Money; paymentToken: string; idempotencyKey: string }): Promise<EventEnvelope> {
    const { paymentToken, ...rest } = data;
    this.tokens.add(paymentToken);
    const key = `${data.orderId}:${paymentToken}`;
    let ref = this.refs.get(key);
    if (!ref) {
      ref = await keepPaymentToken(this.redis, data.orderId, paymentToken, 120_000);
      this.refs.set(key, ref);
    }
    return this.publish(PaymentRequested, { ...rest, paymentTokenRef: ref }, data.orderId);
  }

  /**
   * The events this harness's instances published about an order, as seen on the stream (an
   * event counts when its id is in our outbox: another run's payments instance may answer our
   * orders too, the stream being shared).
   */
  async events(orderId: string, type?: EventContract): Promise<EventEnvelope<Record<string, any>>[]> {
    const entries = await this.svc.db.collection<OutboxEntry>('outbox').find({ aggregateId: paymentIdFor(orderId) }).toArray();
    const ours = new Set(entries.flatMap((e) => e.events.map((ev) => ev.id)));
    return this.seen.filter((e) => ours.has(e.id) && (!type || e.type === type.type)) as EventEnvelope<Record<string, any>>[];
  }

  /**
   * The events committed about an order, in commit order, read from the outbox (what will be
   * published, once the handlers are done: exact, where the stream may still be catching up).
   */
  async committedEvents(orderId: string, type?: EventContract): Promise<EventEnvelope<Record<string, any>>[]> {
    const entries = await this.svc.db.collection<OutboxEntry>('outbox').find({ aggregateId: paymentIdFor(orderId) }).toArray();
    // in commit order (a find returns them in any order)
    entries.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.version - b.version);
    return entries.flatMap((e) => e.events).filter((e) => !type || e.type === type.type) as EventEnvelope<Record<string, any>>[];
  }

  /** Waits for the first event of a type about an order. */
  async event(orderId: string, type: EventContract, timeoutMs = 8000): Promise<EventEnvelope<Record<string, any>>> {
    return eventually(async () => (await this.events(orderId, type))[0], timeoutMs);
  }

  /**
   * True once every given event reached its payments consumer (claimed) and everything is quiet
   * (see quiet): every handler that will run has finished and its events are on the stream and seen.
   */
  async processed(eventIds: string[]): Promise<boolean> {
    const keys = this.svc.consumers.flatMap((c) => eventIds.map((id) => `${c.durable}:${id}`));
    const n = await this.svc.db.collection('processed_events').countDocuments({ _id: { $in: keys } } as never);
    if (n !== eventIds.length) return false;
    return isQuiet(this.scope());
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await this.observer?.stop();
    for (const c of this.services[0]?.consumers ?? []) await this.bus?.jsm.consumers.delete(this.bus.stream, c.durable).catch(() => undefined);
    await this.bus?.close();
    this.redis?.disconnect();
    const client = new MongoClient(testInfra().mongoUrl);
    await client.db(this.env.PAYMENTS_DB_NAME).dropDatabase().catch(() => undefined);
    await client.close();
  }
}
