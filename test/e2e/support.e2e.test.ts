import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCancelled, OrderConfirmed } from '@commerce/events/contracts';
import type { EventBus, EventEnvelope } from '@commerce/events';
import { eventually, isQuiet, testInfra, uniqueSuffix } from '@commerce/testing';
import type { SupportService } from '@commerce/support';
import { checkConsistency } from '../../scripts/lib/consistency.ts';
import { send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * Customer support through the router: tickets opened by shoppers, agents and the platform itself
 * (payment declines, timeouts, dead letters), the agents' queue, assignment races, refunds from
 * tickets racing past the capture, ratings and the figures they feed.
 */
let platform: Platform;
let shop: Shop;
let client: MongoClient;
let support: SupportService;
let bus: EventBus;

beforeAll(async () => {
  platform = await startPlatform({
    serviceEnv: {
      orders: { ORDER_SAGA_TIMEOUT_MS: '6000', ORDER_SWEEP_MS: '250' },
      // HIGH tickets (the platform's) are due in 2 s here, so the sweep's breach shows in the test
      support: { SUPPORT_SWEEP_EVERY_MS: '250', SUPPORT_SLA_HOURS_HIGH: String(2 / 3600), SUPPORT_PRODUCT_FLAG_THRESHOLD: '2' },
    },
  });
  shop = new Shop(platform);
  client = new MongoClient(testInfra().mongoUrl);
  support = platform.services.support as SupportService;
  bus = support.bus;
}, 120_000);
afterAll(async () => {
  await client?.close();
  await platform?.stop();
});

/** A signed-in SUPPORT_AGENT: granted by the admin, carried by the token of the next log-in. */
async function newAgent(): Promise<{ id: string; token: string }> {
  const email = `agent-${uniqueSuffix()}@example.com`;
  const signUp = await send<any>(platform, 'SignUp', { input: { email, password: 'a long enough password', name: 'Agent' } });
  const id = signUp.data!.signUp.customer.id as string;
  const granted = await send<any>(platform, 'GrantRole', { customerId: id, role: 'SUPPORT_AGENT' }, await shop.admin());
  expect(granted.data!.grantRole.userErrors).toEqual([]);
  const login = await send<any>(platform, 'LogIn', { email, password: 'a long enough password' });
  return { id, token: login.data!.logIn.accessToken as string };
}

async function myTickets(token: string): Promise<any[]> {
  const r = await send<any>(platform, 'MyTickets', { first: 50 }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.me.tickets.edges.map((e: any) => e.node);
}

/** An order placed and settled through the router. */
async function settledOrder(customer: { token: string }, opts: { paymentToken?: string; price?: string } = {}) {
  const product = await shop.product({ stock: 20, ...(opts.price ? { price: opts.price } : {}) });
  const cartId = await shop.cartWith(customer.token, product.variantId, 1);
  const placed = await shop.placeOrder(customer.token, cartId, opts.paymentToken ? { paymentToken: opts.paymentToken } : {});
  expect(placed.data!.placeOrder.userErrors).toEqual([]);
  const order = await shop.settled(customer.token, placed.data!.placeOrder.order.id);
  return { order, product };
}

/** True once every support consumer has nothing to deliver and nothing unacknowledged. */
/** support has handled everything it was sent and published everything it committed */
const supportQuiet = () => isQuiet({ bus, durables: support.consumers, dbs: [support.db] });

async function openTicket(token: string, input: Record<string, unknown>) {
  const r = await send<any>(platform, 'OpenTicket', { input: { subject: 'Help', body: 'Please help', category: 'OTHER', idempotencyKey: `open-${uniqueSuffix()}`, ...input } }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.openTicket;
}

describe('tickets the platform opens', () => {
  it('two payment declines within an hour → exactly one ticket, on the second order, also when the events are redelivered', async () => {
    const customer = await shop.customer();
    const first = await settledOrder(customer, { paymentToken: 'tok_chargeDeclined' });
    const second = await settledOrder(customer, { paymentToken: 'tok_insufficientFunds' });
    expect([first.order.cancellationReason, second.order.cancellationReason]).toEqual(['PAYMENT_DECLINED', 'PAYMENT_DECLINED']);

    const tickets = await eventually(async () => {
      const mine = await myTickets(customer.token);
      return mine.length > 0 ? mine : undefined;
    }, 15_000);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ openedBy: 'SYSTEM', category: 'PAYMENT', status: 'OPEN', order: { id: second.order.id } });
    expect(tickets[0].messages).toHaveLength(1);
    expect(tickets[0].messages[0]).toMatchObject({ author: 'SYSTEM', internal: false });
    expect(tickets[0].messages[0].body).toContain('did not have enough funds');

    // the same cancellations again, as a replayed stream would deliver them: new event ids, same facts, at once
    const again = (order: any): EventEnvelope =>
      OrderCancelled.create(
        { orderId: order.id, customerId: customer.id, reason: 'PAYMENT_DECLINED', lines: [], wasConfirmed: false, cancelledAt: order.updatedAt ?? new Date().toISOString() },
        { aggregateId: order.id },
      );
    const replayed = [again(first.order), again(second.order), again(second.order)];
    await Promise.all(replayed.map((e) => bus.publish(e)));
    await eventually(supportQuiet, 15_000);

    const after = await myTickets(customer.token);
    expect(after).toHaveLength(1);
    expect(after[0].messages).toHaveLength(1);
    // the ticket is on the order and on its payment, through federation
    const onOrder = await send<any>(platform, 'OrderTickets', { id: second.order.id }, customer.token);
    expect(onOrder.errors).toBeUndefined();
    expect(onOrder.data!.order.tickets.map((t: any) => t.id)).toEqual([after[0].id]);
    expect(onOrder.data!.order.payment.tickets.map((t: any) => t.id)).toEqual([after[0].id]);
    const firstOrder = await send<any>(platform, 'OrderTickets', { id: first.order.id }, customer.token);
    expect(firstOrder.data!.order.tickets).toEqual([]);

    // nobody answered within its SLA (2 s for HIGH here): the sweep marks it, the queue filters on it
    const agent = await newAgent();
    const breached = await eventually(async () => {
      const q = await send<any>(platform, 'SupportQueue', { filter: { slaBreached: true, priority: 'HIGH' }, first: 100 }, agent.token);
      return q.data?.supportQueue.edges.find((e: any) => e.node.id === after[0].id)?.node;
    }, 15_000);
    expect(breached.slaBreached).toBe(true);
    const metrics = await (await fetch(support.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/support_sla_breaches_total\{[^}]*priority="HIGH"[^}]*\} [1-9]/);
  }, 90_000);

  it('an order cancelled by TIMEOUT opens a ticket that says so', async () => {
    const customer = await shop.customer();
    const product = await shop.product({ stock: 5 });
    const cartId = await shop.cartWith(customer.token, product.variantId, 1);
    await platform.stopService('payments'); // nobody answers the payment request: the saga times out
    try {
      const placed = await shop.placeOrder(customer.token, cartId);
      const orderId = placed.data!.placeOrder.order.id as string;
      const order = await shop.settled(customer.token, orderId, 30_000);
      expect(order.cancellationReason).toBe('TIMEOUT');
      const ticket = await eventually(async () => (await myTickets(customer.token)).find((t) => t.order?.id === orderId), 15_000);
      expect(ticket).toMatchObject({ openedBy: 'SYSTEM', category: 'ORDER' });
      expect(ticket.messages[0].body).toContain('did not finish in time');
    } finally {
      await platform.restartService('payments');
    }
  }, 90_000);

  it('an event about an order that a consumer parks as a dead letter opens a ticket on that order', async () => {
    const customer = await shop.customer();
    const { order } = await settledOrder(customer);
    // an order-confirmed that breaks its contract: every consumer of it parks it at once
    const broken = { ...OrderConfirmed.create({ orderId: order.id, customerId: customer.id, lines: [], total: { amount: 100, currencyCode: 'USD' }, confirmedAt: new Date().toISOString() }, { aggregateId: order.id }) };
    (broken.data as any).total = 'not money';
    await bus.publish(broken as EventEnvelope);
    const ticket = await eventually(async () => (await myTickets(customer.token)).find((t) => t.order?.id === order.id), 20_000);
    expect(ticket.openedBy).toBe('SYSTEM');
    expect(ticket.messages.every((m: any) => !m.body.includes('commerce.'))).toBe(true); // the shopper's terms
    const agent = await newAgent();
    const asAgent = await send<any>(platform, 'Ticket', { id: ticket.id }, agent.token);
    expect(asAgent.data!.ticket.messages.some((m: any) => m.internal && m.body.includes('order-confirmed'))).toBe(true);
    // one ticket per order, however many consumers parked it
    await eventually(supportQuiet, 15_000);
    expect((await myTickets(customer.token)).filter((t) => t.order?.id === order.id)).toHaveLength(1);
  }, 60_000);
});

describe('customers and agents', () => {
  it("a customer reads only their own tickets, never an internal note; bad input gets userErrors", async () => {
    const alice = await shop.customer();
    const bob = await shop.customer();
    const { order } = await settledOrder(alice);
    const opened = await openTicket(alice.token, { subject: 'Where is my parcel?', body: 'It has been a week', category: 'DELIVERY', orderId: order.id });
    expect(opened.userErrors).toEqual([]);
    const ticketId = opened.ticket.id as string;
    const agent = await newAgent();
    const note = await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'Carrier says lost; refund if not found by Friday', internal: true, idempotencyKey: 'n1' } }, agent.token);
    expect(note.data!.postTicketMessage.userErrors).toEqual([]);
    const answer = await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'We are checking with the carrier.', idempotencyKey: 'a1' } }, agent.token);
    expect(answer.data!.postTicketMessage.ticket.status).toBe('PENDING_CUSTOMER');

    const asAlice = await send<any>(platform, 'Ticket', { id: ticketId }, alice.token);
    expect(asAlice.data!.ticket.messages.map((m: any) => m.body)).toEqual(['It has been a week', 'We are checking with the carrier.']);
    expect(asAlice.data!.ticket.firstResponseAt).not.toBeNull();
    const asBob = await send<any>(platform, 'Ticket', { id: ticketId }, bob.token);
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data!.ticket).toBeNull();
    const bobWrites = await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'hi', idempotencyKey: 'b1' } }, bob.token);
    expect(bobWrites.data!.postTicketMessage.userErrors[0].code).toBe('TICKET_NOT_FOUND');
    const bobNote = await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'hi', internal: true, idempotencyKey: 'b2' } }, bob.token);
    expect(bobNote.data!.postTicketMessage.userErrors[0].code).toBe('NOT_ALLOWED');
    const bobOnAlicesOrder = await openTicket(bob.token, { orderId: order.id });
    expect(bobOnAlicesOrder.userErrors[0].code).toBe('ORDER_NOT_FOUND');
    const bobQueue = await send<any>(platform, 'SupportQueue', {}, bob.token);
    expect(bobQueue.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // a retried send posts once
    const reply = { input: { ticketId, body: 'Thanks!', idempotencyKey: 'alice-1' } };
    const [r1, r2] = await Promise.all([send<any>(platform, 'PostTicketMessage', reply, alice.token), send<any>(platform, 'PostTicketMessage', reply, alice.token)]);
    expect(r1.data!.postTicketMessage.message.id).toBe(r2.data!.postTicketMessage.message.id);
    const thread = (await send<any>(platform, 'Ticket', { id: ticketId }, alice.token)).data!.ticket;
    expect(thread.messages.filter((m: any) => m.body === 'Thanks!')).toHaveLength(1);
    expect(thread.status).toBe('PENDING_AGENT');

    // bad input: userErrors with a 200, never a 5xx or a partial write
    const bad = await send<any>(platform, 'OpenTicket', { input: { subject: '', body: 'x', category: 'ORDER', idempotencyKey: 'bad-1' } }, alice.token);
    expect(bad.status).toBe(200);
    expect(bad.data!.openTicket.userErrors.map((e: any) => e.code)).toEqual(['EMPTY_SUBJECT']);
    const huge = await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'x'.repeat(100_000), idempotencyKey: 'huge' } }, alice.token);
    expect(huge.status).toBe(200);
    expect(huge.data!.postTicketMessage.userErrors.map((e: any) => e.code)).toEqual(['MESSAGE_TOO_LONG']);
    const unknown = await send<any>(platform, 'OpenTicket', { input: { subject: 'Late', body: 'Where?', category: 'ORDER', orderId: 'ord_doesnotexist0000000000000', idempotencyKey: 'bad-2' } }, alice.token);
    expect(unknown.status).toBe(200);
    expect(unknown.data!.openTicket.userErrors.map((e: any) => e.code)).toEqual(['ORDER_NOT_FOUND']);
    expect((await myTickets(alice.token)).map((t) => t.id)).toEqual([ticketId]);
    const anonymous = await send<any>(platform, 'OpenTicket', { input: { subject: 'x', body: 'y', category: 'OTHER', idempotencyKey: 'anon' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('two agents racing to take a ticket: one wins, the other is told', async () => {
    const customer = await shop.customer();
    const opened = await openTicket(customer.token, { subject: 'Account locked', body: 'I cannot log in', category: 'ACCOUNT' });
    const [a, b] = await Promise.all([newAgent(), newAgent()]);
    const results = await Promise.all([a, b].map((agent) => send<any>(platform, 'AssignTicket', { ticketId: opened.ticket.id }, agent.token)));
    const winners = results.filter((r) => r.data!.assignTicket.userErrors.length === 0);
    const losers = results.filter((r) => r.data!.assignTicket.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => r.data!.assignTicket.userErrors[0].code)).toEqual(['ALREADY_ASSIGNED']);
    const winnerId = winners[0]!.data!.assignTicket.ticket.assigneeId;
    expect([a.id, b.id]).toContain(winnerId);
    const mine = await send<any>(platform, 'SupportQueue', { filter: { assigneeId: winnerId } }, a.token);
    expect(mine.data!.supportQueue.edges.map((e: any) => e.node.id)).toEqual([opened.ticket.id]);

    // the queue pages by SLA due time: the winner takes two more; pages of 2 give all 3 once, soonest due first
    const winner = winnerId === a.id ? a : b;
    for (const priority of ['HIGH', 'LOW']) {
      const more = await openTicket(customer.token, { subject: `Also ${priority}`, body: 'Another thing', category: 'ACCOUNT', priority });
      expect((await send<any>(platform, 'AssignTicket', { ticketId: more.ticket.id }, winner.token)).data!.assignTicket.userErrors).toEqual([]);
    }
    const page1 = (await send<any>(platform, 'SupportQueue', { filter: { assigneeId: winnerId }, first: 2 }, winner.token)).data!.supportQueue;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await send<any>(platform, 'SupportQueue', { filter: { assigneeId: winnerId }, first: 2, after: page1.pageInfo.endCursor }, winner.token)).data!.supportQueue;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = [...page1.edges, ...page2.edges].map((e: any) => e.node);
    expect(all.map((t: any) => t.priority)).toEqual(['HIGH', 'NORMAL', 'LOW']);
    expect(new Set(all.map((t: any) => t.id)).size).toBe(3);
    const badCursor = await send<any>(platform, 'SupportQueue', { first: 2, after: 'not-a-cursor' }, winner.token);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 60_000);

  it('products with repeated product tickets are flagged', async () => {
    const productId = `prod_${uniqueSuffix()}`;
    for (let i = 0; i < 2; i++) {
      const customer = await shop.customer();
      const r = await openTicket(customer.token, { subject: 'Arrived broken', body: 'The glass was cracked', category: 'PRODUCT', productId });
      expect(r.userErrors).toEqual([]);
    }
    const agent = await newAgent();
    const flagged = await eventually(async () => {
      const r = await send<any>(platform, 'FlaggedProducts', { first: 100 }, agent.token);
      return r.data?.flaggedProducts.find((p: any) => p.productId === productId);
    }, 15_000);
    expect(flagged.ticketCount).toBe(2);
  }, 60_000);
});

describe('refunds from tickets', () => {
  it('partial refunds racing past the captured amount: only those that fit succeed; orders and payments agree', async () => {
    const customer = await shop.customer();
    const { order } = await settledOrder(customer, { price: '100.00' });
    expect(order.status).toBe('CONFIRMED');
    const opened = await openTicket(customer.token, { subject: 'Damaged box', body: 'Partly damaged', category: 'ORDER', orderId: order.id });
    const ticketId = opened.ticket.id as string;
    const agent = await newAgent();
    const refund = (amount: string, key: string) => send<any>(platform, 'RefundFromTicket', { ticketId, amount, idempotencyKey: key }, agent.token);

    // support learns of the capture from payments' event
    await eventually(async () => {
      const r = await send<any>(platform, 'OrderRefunds', { id: order.id }, agent.token);
      return r.data?.order.payment?.status === 'CAPTURED';
    }, 15_000);
    const probe = await eventually(async () => {
      const r = await refund('0.01', 'probe');
      const code = r.data!.refundFromTicket.userErrors[0]?.code;
      return code === 'NOT_CAPTURED' ? undefined : r;
    }, 15_000);
    expect(probe.data!.refundFromTicket.userErrors).toEqual([]);

    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => refund('30.00', `race-${i}`)));
    const admitted = racing.filter((r) => r.data!.refundFromTicket.userErrors.length === 0);
    const refused = racing.filter((r) => r.data!.refundFromTicket.userErrors.length > 0);
    expect(admitted).toHaveLength(3); // 0.01 + 3 × 30.00 ≤ 100.00 < 0.01 + 4 × 30.00
    expect(refused.map((r) => r.data!.refundFromTicket.userErrors[0].code)).toEqual(['EXCEEDS_CAPTURED', 'EXCEEDS_CAPTURED']);
    expect((await refund('9.99', 'rest')).data!.refundFromTicket.userErrors).toEqual([]);
    expect((await refund('0.01', 'one-too-many')).data!.refundFromTicket.userErrors[0].code).toBe('EXCEEDS_CAPTURED');
    // a retried request is the same refund, not another
    const won = racing.findIndex((r) => r.data!.refundFromTicket.userErrors.length === 0);
    const retried = await refund('30.00', `race-${won}`);
    expect(retried.data!.refundFromTicket.userErrors).toEqual([]);
    expect(retried.data!.refundFromTicket.refund.id).toBe(racing[won]!.data!.refundFromTicket.refund.id);
    const bad = await refund('-5', 'neg');
    expect(bad.data!.refundFromTicket.userErrors[0].code).toBe('INVALID_AMOUNT');

    // every admitted refund is paid back and shows on the ticket, the order and the payment
    const settledTicket = await eventually(async () => {
      const t = (await send<any>(platform, 'Ticket', { id: ticketId }, customer.token)).data!.ticket;
      return t.refunds.length === 5 && t.refunds.every((r: any) => r.status === 'SUCCEEDED') ? t : undefined;
    }, 30_000);
    expect(settledTicket.refunds.map((r: any) => r.amount.amount).sort()).toEqual(['0.01', '30.00', '30.00', '30.00', '9.99']);
    expect(settledTicket.messages.filter((m: any) => m.author === 'SYSTEM' && m.body.includes('was issued'))).toHaveLength(5);
    const orderView = await eventually(async () => {
      const r = await send<any>(platform, 'OrderRefunds', { id: order.id }, agent.token);
      return r.data?.order.refundedTotal.amount === '100.00' ? r.data.order : undefined;
    }, 20_000);
    expect(orderView.refunds).toHaveLength(5);
    expect(orderView.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: { amount: '100.00' } });

    const report = await checkConsistency(
      { orders: client.db(platform.dbNames.orders), inventory: client.db(platform.dbNames.inventory), payments: client.db(platform.dbNames.payments) },
      { settleMs: 15_000 },
    );
    expect(report.discrepancies).toEqual([]);
  }, 120_000);
});

describe('feedback', () => {
  it('an answered, resolved and rated ticket moves the day’s figures by exactly one', async () => {
    const today = new Date();
    const range = { from: new Date(today.getTime() - 86_400_000).toISOString(), to: new Date(today.getTime() + 86_400_000).toISOString(), category: 'ACCOUNT' };
    const admin = await shop.admin();
    const figures = async () => {
      const r = await send<any>(platform, 'SupportFigures', range, admin);
      expect(r.errors).toBeUndefined();
      const rows = r.data!.supportFigures as any[];
      return { resolved: rows.reduce((n, d) => n + d.resolvedCount, 0), ratings: rows.reduce((n, d) => n + d.ratingsCount, 0), rows };
    };
    const before = await figures();
    const customer = await shop.customer();
    const opened = await openTicket(customer.token, { subject: 'Change my email', body: 'Please', category: 'ACCOUNT' });
    const ticketId = opened.ticket.id as string;
    const agent = await newAgent();
    const early = await send<any>(platform, 'RateTicket', { input: { ticketId, score: 5 } }, customer.token);
    expect(early.data!.rateTicket.userErrors[0].code).toBe('NOT_RESOLVED');
    await send<any>(platform, 'PostTicketMessage', { input: { ticketId, body: 'Done from our side', idempotencyKey: 'ag-1' } }, agent.token);
    const resolved = await send<any>(platform, 'ResolveTicket', { ticketId, message: 'Your email is changed.', idempotencyKey: 'res-1' }, agent.token);
    expect(resolved.data!.resolveTicket.ticket.status).toBe('RESOLVED');
    const byAgent = await send<any>(platform, 'RateTicket', { input: { ticketId, score: 1 } }, agent.token);
    expect(byAgent.data!.rateTicket.userErrors[0].code).toBe('NOT_ALLOWED');
    const bad = await send<any>(platform, 'RateTicket', { input: { ticketId, score: 9 } }, customer.token);
    expect(bad.data!.rateTicket.userErrors[0].code).toBe('INVALID_SCORE');
    const rated = await send<any>(platform, 'RateTicket', { input: { ticketId, score: 5, comment: 'Quick, thanks' } }, customer.token);
    expect(rated.data!.rateTicket.ticket.satisfaction).toMatchObject({ score: 5, comment: 'Quick, thanks' });
    expect((await send<any>(platform, 'RateTicket', { input: { ticketId, score: 4 } }, customer.token)).data!.rateTicket.userErrors[0].code).toBe('ALREADY_RATED');

    const after = await eventually(async () => {
      const f = await figures();
      return f.resolved === before.resolved + 1 && f.ratings === before.ratings + 1 ? f : undefined;
    }, 15_000);
    await eventually(supportQuiet, 15_000);
    expect(await figures()).toMatchObject({ resolved: before.resolved + 1, ratings: before.ratings + 1 });
    const todayRow = after.rows.find((d: any) => d.day === today.toISOString().slice(0, 10));
    expect(todayRow.csat).toBeGreaterThan(0);
    expect(todayRow.medianFirstResponseSeconds).not.toBeNull();
    const metrics = await (await fetch(support.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/support_satisfaction_score_count\{[^}]*category="ACCOUNT"[^}]*\} [1-9]/);
    // a customer cannot read the figures
    const asCustomer = await send<any>(platform, 'SupportFigures', range, customer.token);
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 60_000);
});
