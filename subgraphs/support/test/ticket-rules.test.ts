import { describe, expect, it } from 'vitest';
import type { Identity } from '@commerce/platform';
import { declineNote, DECLINE_WINDOW_MS, recordDecline, type CustomerDeclines } from '../src/domain/declines.ts';
import { applyFiguresFact, daysBetween, recordProductTicket, summarize } from '../src/domain/figures.ts';
import { admitRefund, applyFact, emptyView, refundable, systemTicketNeeds, type OrderView } from '../src/domain/order-view.ts';
import {
  addMessage,
  assign,
  canRead,
  customerTicketId,
  DEFAULT_SLA_HOURS,
  messageId,
  openedTicket,
  rate,
  REOPEN_WINDOW_MS,
  resolve,
  sweepAction,
  systemTicketId,
  visibleMessages,
  withRefund,
  type TicketRecord,
} from '../src/domain/ticket.ts';
import { validateOpenTicket } from '../src/domain/validation.ts';

const t0 = new Date('2026-12-01T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const customer: Identity = { id: 'cust_a', roles: ['CUSTOMER'] };
const other: Identity = { id: 'cust_b', roles: ['CUSTOMER'] };
const agent: Identity = { id: 'cust_agent', roles: ['CUSTOMER', 'SUPPORT_AGENT'] };

function ticket(priority: TicketRecord['priority'] = 'NORMAL'): TicketRecord {
  const id = customerTicketId('cust_a', 'k1');
  return openedTicket(
    { id, customerId: 'cust_a', orderId: 'ord_1', productId: null, subject: 'Where is my order?', category: 'ORDER', priority, openedBy: 'CUSTOMER', firstMessage: { id: messageId(id, 'cust_a', 'k1'), authorId: 'cust_a', body: 'Hello' } },
    DEFAULT_SLA_HOURS,
    t0,
  );
}
const must = <T>(d: T | { refused: unknown } | { existing: unknown } | { unchanged: unknown }): T => {
  if (typeof d === 'object' && d && ('refused' in d || 'existing' in d || 'unchanged' in d)) throw new Error(`unexpected ${JSON.stringify(d)}`);
  return d as T;
};

describe('tickets', () => {
  it('ids are deterministic: a retried open or send meets the same ticket or message', () => {
    expect(customerTicketId('cust_a', 'k')).toBe(customerTicketId('cust_a', 'k'));
    expect(customerTicketId('cust_a', 'k')).not.toBe(customerTicketId('cust_b', 'k'));
    expect(systemTicketId('ord_1')).toBe(systemTicketId('ord_1'));
    expect(messageId('tkt_1', 'cust_a', 'k')).not.toBe(messageId('tkt_1', 'cust_b', 'k'));
  });

  it('opens OPEN, watched for its SLA, due by priority', () => {
    const t = ticket('HIGH');
    expect(t).toMatchObject({ status: 'OPEN', watch: 'SLA', version: 1 });
    expect(t.slaDueAt.getTime() - t0.getTime()).toBe(4 * 3600_000);
  });

  it('a message sent twice is posted once', () => {
    const t = ticket();
    const m = { id: 'msg_x', author: 'CUSTOMER' as const, authorId: 'cust_a', body: 'More', internal: false };
    const first = must(addMessage(t, m, later(1000))) as { next: TicketRecord };
    const again = addMessage(first.next, m, later(2000));
    expect('existing' in again).toBe(true);
    expect(first.next.messages).toHaveLength(2);
  });

  it("status follows who spoke; an agent's first public answer ends the SLA watch", () => {
    const t = ticket();
    const answered = must(addMessage(t, { id: 'm1', author: 'AGENT', authorId: 'cust_agent', body: 'On it', internal: false }, later(60_000))) as { next: TicketRecord; firstResponse: boolean };
    expect(answered.firstResponse).toBe(true);
    expect(answered.next).toMatchObject({ status: 'PENDING_CUSTOMER', watch: null, firstResponseAt: later(60_000) });
    const note = must(addMessage(t, { id: 'm2', author: 'AGENT', authorId: 'cust_agent', body: 'internal', internal: true }, later(1))) as { next: TicketRecord; firstResponse: boolean };
    expect(note.firstResponse).toBe(false);
    expect(note.next).toMatchObject({ status: 'OPEN', watch: 'SLA', firstResponseAt: null });
    const reply = must(addMessage(answered.next, { id: 'm3', author: 'CUSTOMER', authorId: 'cust_a', body: 'Thanks', internal: false }, later(120_000))) as { next: TicketRecord };
    expect(reply.next.status).toBe('PENDING_AGENT');
  });

  it('a resolved ticket reopens on a customer reply within 7 days, not after; a closed one takes nothing', () => {
    const resolved = (must(resolve(ticket(), later(1000))) as { next: TicketRecord }).next;
    expect(resolved).toMatchObject({ status: 'RESOLVED', watch: 'CLOSE' });
    const reopened = must(addMessage(resolved, { id: 'r', author: 'CUSTOMER', authorId: 'cust_a', body: 'Still broken', internal: false }, later(REOPEN_WINDOW_MS))) as { next: TicketRecord };
    expect(reopened.next).toMatchObject({ status: 'PENDING_AGENT', resolvedAt: null });
    const late = addMessage(resolved, { id: 'r2', author: 'CUSTOMER', authorId: 'cust_a', body: 'Hello?', internal: false }, later(REOPEN_WINDOW_MS + 2000));
    expect(late).toMatchObject({ refused: { code: 'REOPEN_WINDOW_PASSED' } });
    const closed = { ...resolved, status: 'CLOSED' as const };
    expect(addMessage(closed, { id: 'r3', author: 'AGENT', authorId: 'x', body: 'x', internal: false }, later(1))).toMatchObject({ refused: { code: 'TICKET_CLOSED' } });
  });

  it('of two agents, the one who assigns first keeps it; force takes it over', () => {
    const t = ticket();
    const mine = (must(assign(t, 'agent_1', { force: false }, t0)) as { next: TicketRecord }).next;
    expect(assign(mine, 'agent_2', { force: false }, t0)).toMatchObject({ refused: { code: 'ALREADY_ASSIGNED' } });
    expect('unchanged' in assign(mine, 'agent_1', { force: false }, t0)).toBe(true);
    expect((must(assign(mine, 'agent_2', { force: true }, t0)) as { next: TicketRecord }).next.assigneeId).toBe('agent_2');
  });

  it('customers read their own tickets without internal notes; agents read all', () => {
    const t = ticket();
    const withNote = (must(addMessage(t, { id: 'n', author: 'AGENT', authorId: 'cust_agent', body: 'secret', internal: true }, t0)) as { next: TicketRecord }).next;
    expect(canRead(customer, withNote)).toBe(true);
    expect(canRead(other, withNote)).toBe(false);
    expect(canRead(null, withNote)).toBe(false);
    expect(canRead(agent, withNote)).toBe(true);
    expect(visibleMessages(customer, withNote).map((m) => m.body)).toEqual(['Hello']);
    expect(visibleMessages(agent, withNote).map((m) => m.body)).toEqual(['Hello', 'secret']);
  });

  it('is rated once, only after resolution', () => {
    const t = ticket();
    expect(rate(t, 5, null, t0)).toMatchObject({ refused: { code: 'NOT_RESOLVED' } });
    const resolved = (must(resolve(t, t0)) as { next: TicketRecord }).next;
    const rated = (must(rate(resolved, 4, 'ok', later(1))) as { next: TicketRecord }).next;
    expect(rated.satisfaction).toMatchObject({ score: 4, comment: 'ok' });
    expect(rate(rated, 5, null, later(2))).toMatchObject({ refused: { code: 'ALREADY_RATED' } });
  });

  it('the sweep breaches an unanswered ticket past its due time, and closes one resolved over 7 days ago', () => {
    const t = ticket('URGENT');
    expect(sweepAction(t, later(3600_000 - 1))).toBeNull();
    expect(sweepAction(t, later(3600_000))).toBe('breach');
    expect(sweepAction({ ...t, slaBreachedAt: later(3600_000) }, later(7200_000))).toBeNull();
    const resolved = (must(resolve(t, t0)) as { next: TicketRecord }).next;
    expect(sweepAction(resolved, later(REOPEN_WINDOW_MS))).toBeNull();
    expect(sweepAction(resolved, later(REOPEN_WINDOW_MS + 1))).toBe('autoclose');
  });

  it('a refund is added once and settled once', () => {
    const t = ticket();
    const r = { id: 'rf_1', amount: { amount: 500, currencyCode: 'USD' }, status: 'REQUESTED' as const, rejectionReason: null, requestedBy: 'cust_agent', requestedAt: t0, settledAt: null };
    const requested = withRefund(t, r, t0)!;
    expect(withRefund(requested, r, t0)).toBeNull();
    const done = withRefund(requested, { ...r, status: 'SUCCEEDED', settledAt: later(1) }, later(1))!;
    expect(done.refunds).toEqual([expect.objectContaining({ id: 'rf_1', status: 'SUCCEEDED' })]);
    expect(withRefund(done, { ...r, status: 'REJECTED' }, later(2))).toBeNull();
  });

  it('validates what a customer sends', () => {
    const base = { subject: 'Broken', body: 'It broke', category: 'ORDER', idempotencyKey: 'k' };
    expect(validateOpenTicket(base).ok).toBe(true);
    const bad = validateOpenTicket({ ...base, subject: '  ', body: 'x'.repeat(100_000), category: 'NOPE', orderId: 'nope' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.code).sort()).toEqual(['EMPTY_SUBJECT', 'INVALID_CATEGORY', 'MESSAGE_TOO_LONG', 'ORDER_NOT_FOUND']);
    const product = validateOpenTicket({ ...base, category: 'PRODUCT' });
    expect(product.ok ? [] : product.errors.map((e) => e.code)).toEqual(['PRODUCT_REQUIRED']);
  });
});

describe("support's view of an order", () => {
  const usd = (amount: number) => ({ amount, currencyCode: 'USD' });
  const placed = applyFact(null, 'ord_1', { kind: 'placed', customerId: 'cust_a', productIds: ['prod_1'], total: usd(10_000) }, t0)!;

  it('records each fact once, whatever the order they arrive in', () => {
    const captured = applyFact(placed, 'ord_1', { kind: 'payment-captured', amount: usd(10_000) }, t0)!;
    expect(applyFact(captured, 'ord_1', { kind: 'payment-captured', amount: usd(10_000) }, t0)).toBeNull();
    const early = applyFact(null, 'ord_2', { kind: 'payment-authorized' }, t0)!;
    expect(early.customerId).toBeNull();
    expect(systemTicketNeeds({ ...early, status: 'CANCELLED', cancellationReason: 'TIMEOUT' })).toEqual([]); // waits for its customer
  });

  it('admits refunds up to the capture, counting pending ones; the same id is not admitted twice', () => {
    expect(admitRefund(placed, { refundId: 'rf_0', ticketId: 't', amount: usd(1) }, t0)).toMatchObject({ refused: { code: 'NOT_CAPTURED' } });
    let v: OrderView = applyFact(placed, 'ord_1', { kind: 'payment-captured', amount: usd(10_000) }, t0)!;
    const admitted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = admitRefund(v, { refundId: `rf_${i}`, ticketId: 't', amount: usd(3000) }, t0);
      if ('next' in d) {
        v = d.next;
        admitted.push(d.entry.id);
      } else expect(d).toMatchObject({ refused: { code: 'EXCEEDS_CAPTURED' } });
    }
    expect(admitted).toEqual(['rf_0', 'rf_1', 'rf_2']);
    expect(refundable(v)).toEqual(usd(1000));
    expect('existing' in admitRefund(v, { refundId: 'rf_1', ticketId: 't', amount: usd(3000) }, t0)).toBe(true);
    expect(admitRefund(v, { refundId: 'rf_x', ticketId: 't', amount: { amount: 1, currencyCode: 'EUR' } }, t0)).toMatchObject({ refused: { code: 'CURRENCY_MISMATCH' } });
    // a rejected refund gives its amount back
    const rejected = applyFact(v, 'ord_1', { kind: 'refund-rejected', refundId: 'rf_2', reason: 'EXCEEDS_CAPTURED' }, t0)!;
    expect(refundable(rejected)).toEqual(usd(4000));
  });

  it('asks for a ticket on a timed-out order, on stock lost after payment, and on a dead letter', () => {
    const timedOut = applyFact(placed, 'ord_1', { kind: 'cancelled', customerId: 'cust_a', reason: 'TIMEOUT' }, t0)!;
    expect(systemTicketNeeds(timedOut).map((n) => n.key)).toEqual(['timeout']);
    const outOfStock = applyFact(placed, 'ord_1', { kind: 'cancelled', customerId: 'cust_a', reason: 'OUT_OF_STOCK' }, t0)!;
    expect(systemTicketNeeds(outOfStock)).toEqual([]);
    const stockFirst = applyFact(placed, 'ord_1', { kind: 'stock-failed' }, t0)!;
    expect(systemTicketNeeds(stockFirst)).toEqual([]); // no payment taken: nothing to tell
    const paid = applyFact(stockFirst, 'ord_1', { kind: 'payment-authorized' }, t0)!;
    expect(systemTicketNeeds(paid).map((n) => n.key)).toEqual(['stock-failed']);
    const parked = applyFact(placed, 'ord_1', { kind: 'dead-lettered', eventId: 'e1', eventType: 'commerce.orders.order-placed.v1', consumer: 'inv' }, t0)!;
    const [note] = systemTicketNeeds(parked);
    expect(note!.body).not.toContain('commerce.'); // the shopper's terms; detail goes to an internal note
    expect(note!.internalDetail).toContain('commerce.orders.order-placed.v1');
    expect(emptyView('ord_9', t0).version).toBe(0);
  });
});

describe('payment declines per customer', () => {
  it('the second decline within an hour escalates to its order; the third joins that ticket; redelivery finds its decision', () => {
    const d1 = recordDecline(null, 'cust_a', 'ord_1', t0, t0);
    expect(d1.ticketOrderId).toBeNull();
    const d2 = recordDecline(d1.next, 'cust_a', 'ord_2', later(60_000), later(60_000));
    expect(d2.ticketOrderId).toBe('ord_2');
    const d3 = recordDecline(d2.next, 'cust_a', 'ord_3', later(120_000), later(120_000));
    expect(d3.ticketOrderId).toBe('ord_2');
    const again = recordDecline(d3.next, 'cust_a', 'ord_1', t0, later(200_000));
    expect(again).toEqual({ next: null, ticketOrderId: null });
    expect(recordDecline(d3.next, 'cust_a', 'ord_2', later(60_000), later(300_000))).toEqual({ next: null, ticketOrderId: 'ord_2' });
  });

  it('declines more than an hour apart do not escalate', () => {
    const d1 = recordDecline(null, 'cust_a', 'ord_1', t0, t0);
    const d2 = recordDecline(d1.next as CustomerDeclines, 'cust_a', 'ord_2', later(DECLINE_WINDOW_MS + 1), later(DECLINE_WINDOW_MS + 1));
    expect(d2.ticketOrderId).toBeNull();
  });

  it("says what happened in the shopper's terms", () => {
    expect(declineNote('ord_2', 'ord_2', 'INSUFFICIENT_FUNDS').body).toContain('did not have enough funds');
    expect(declineNote('ord_3', 'ord_2', null).key).toBe('declined:ord_3');
  });
});

describe('figures', () => {
  it('count each ticket once per day, with its latest value', () => {
    const a = applyFiguresFact(null, '2026-12-01', 'ORDER', { kind: 'resolved', ticketId: 'tkt_1', firstResponseSeconds: 60, resolutionSeconds: 600 }, t0)!;
    expect(applyFiguresFact(a, '2026-12-01', 'ORDER', { kind: 'resolved', ticketId: 'tkt_1', firstResponseSeconds: 60, resolutionSeconds: 600 }, t0)).toBeNull();
    const b = applyFiguresFact(a, '2026-12-01', 'ORDER', { kind: 'resolved', ticketId: 'tkt_2', firstResponseSeconds: 120, resolutionSeconds: 1200 }, t0)!;
    const c = applyFiguresFact(b, '2026-12-01', 'ORDER', { kind: 'rated', ticketId: 'tkt_1', score: 5 }, t0)!;
    const d = applyFiguresFact(c, '2026-12-01', 'ORDER', { kind: 'rated', ticketId: 'tkt_2', score: 2 }, t0)!;
    expect(summarize(d)).toMatchObject({ resolvedCount: 2, medianFirstResponseSeconds: 90, averageResolutionSeconds: 900, ratingsCount: 2, averageRating: 3.5, csat: 0.5 });
  });

  it('days between two dates, inclusive', () => {
    expect(daysBetween(new Date('2026-12-01T23:00:00Z'), new Date('2026-12-03T01:00:00Z'))).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
  });

  it('flags a product once, when its distinct product tickets reach the threshold', () => {
    const one = recordProductTicket(null, 'prod_1', 'tkt_1', 2, t0);
    expect(one.flagged).toBe(false);
    expect(recordProductTicket(one.next, 'prod_1', 'tkt_1', 2, t0).next).toBeNull();
    const two = recordProductTicket(one.next, 'prod_1', 'tkt_2', 2, t0);
    expect(two).toMatchObject({ flagged: true, next: { flagged: true } });
    expect(recordProductTicket(two.next, 'prod_1', 'tkt_3', 2, t0)).toMatchObject({ flagged: false, next: { flagged: true, ticketIds: ['tkt_1', 'tkt_2', 'tkt_3'] } });
  });
});
