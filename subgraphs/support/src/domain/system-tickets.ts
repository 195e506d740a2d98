import { TicketOpened } from '@commerce/events/contracts';
import type { EventEnvelope } from '@commerce/events';
import { changeTicket } from './change-ticket.ts';
import { eventMeta, TicketContendedError, type SupportDeps } from './deps.ts';
import { DECLINES_COLLECTION, declineNote, recordDecline, type CustomerDeclines } from './declines.ts';
import { applyFact, ORDER_VIEWS_COLLECTION, systemTicketNeeds, type OrderFact, type OrderView, type SystemNote } from './order-view.ts';
import { recordRefundOnTicket } from './refund-from-ticket.ts';
import { evolve, messageId, openedTicket, systemTicketId, TICKET_PRIORITIES, type TicketMessage, type TicketRecord } from './ticket.ts';

/** The event a reaction comes from: the ticket's events carry its correlation and trace. */
export type Cause = Pick<EventEnvelope, 'id' | 'correlationId' | 'traceparent'>;
const metaOf = (aggregateId: string, cause: Cause) => eventMeta(aggregateId, { correlationId: cause.correlationId, causationId: cause.id, ...(cause.traceparent ? { traceparent: cause.traceparent } : {}) });

/**
 * Records a fact about an order (from another service's event), then adds whatever the rules
 * now call for to the order's ticket. A fact known already changes nothing but still runs the
 * rules: the earlier delivery may have died between the two steps.
 */
export async function recordOrderFact(deps: SupportDeps, orderId: string, fact: OrderFact, cause: Cause): Promise<OrderView | null> {
  const now = new Date();
  const r = await deps.committer.update<OrderView, OrderView | null>(ORDER_VIEWS_COLLECTION, orderId, (cur) => {
    const next = applyFact(cur, orderId, fact, now);
    return next ? { next, events: [] } : { done: cur };
  });
  if (r.status === 'contended') throw new TicketContendedError(orderId);
  const view = r.status === 'committed' ? r.state : r.value;
  if (!view) return null;
  for (const note of systemTicketNeeds(view)) await addSystemNote(deps, orderId, view.customerId!, note, cause);
  if (fact.kind === 'refunded' || fact.kind === 'refund-rejected') {
    const entry = view.refunds.find((e) => e.id === fact.refundId);
    if (entry?.ticketId && entry.status !== 'REQUESTED') {
      await recordRefundOnTicket(deps, entry.ticketId, entry, null, now);
      if (r.status === 'committed') deps.metrics.refund(entry.status === 'SUCCEEDED' ? 'succeeded' : 'rejected');
    }
  }
  return view;
}

/**
 * An order cancelled because its payment was declined: counted per customer; the second within
 * an hour opens the platform's ticket on that order, later ones are added to it.
 */
export async function recordPaymentDecline(deps: SupportDeps, d: { orderId: string; customerId: string; at: Date }, cause: Cause): Promise<void> {
  const now = new Date();
  let ticketOrderId: string | null = null;
  const r = await deps.committer.update<CustomerDeclines, null>(DECLINES_COLLECTION, d.customerId, (cur) => {
    const decision = recordDecline(cur, d.customerId, d.orderId, d.at, now);
    ticketOrderId = decision.ticketOrderId;
    return decision.next ? { next: decision.next, events: [] } : { done: null };
  });
  if (r.status === 'contended') throw new TicketContendedError(d.customerId);
  if (!ticketOrderId) return;
  const view = await deps.store.orderView(d.orderId);
  await addSystemNote(deps, ticketOrderId, d.customerId, declineNote(d.orderId, ticketOrderId, view?.declineReason ?? null), cause);
}

/**
 * Adds a note to the platform's ticket on an order, opening the ticket if there is none (its id
 * is the order's, so concurrent and repeated calls meet one ticket) and reopening it if it was
 * resolved or closed: something new happened. The note's id comes from its key: added once.
 */
export async function addSystemNote(deps: SupportDeps, orderId: string, customerId: string, note: SystemNote, cause: Cause): Promise<TicketRecord> {
  const id = systemTicketId(orderId);
  const now = new Date();
  const noteId = messageId(id, null, note.key);
  const detail: TicketMessage | null = note.internalDetail
    ? { id: messageId(id, null, `${note.key}:detail`), author: 'SYSTEM', authorId: null, body: note.internalDetail, internal: true, createdAt: now }
    : null;
  const r = await changeTicket(deps, id, (cur) => {
    if (!cur) {
      const opened = openedTicket(
        { id, customerId, orderId, productId: null, subject: note.subject, category: note.category, priority: note.priority, openedBy: 'SYSTEM', firstMessage: { id: noteId, authorId: null, body: note.body } },
        deps.sla,
        now,
      );
      const next = detail ? { ...opened, messages: [...opened.messages, detail] } : opened;
      const event = TicketOpened.create(
        { ticketId: id, customerId, orderId, productId: null, category: note.category, priority: note.priority, openedBy: 'SYSTEM', openedAt: now.toISOString() },
        metaOf(id, cause),
      );
      return { next, events: [event], value: 'opened' as const };
    }
    if (cur.messages.some((m) => m.id === noteId)) return { value: 'known' as const };
    const message: TicketMessage = { id: noteId, author: 'SYSTEM', authorId: null, body: note.body, internal: false, createdAt: now };
    const reopen = cur.status === 'RESOLVED' || cur.status === 'CLOSED';
    const higher = TICKET_PRIORITIES.indexOf(note.priority) > TICKET_PRIORITIES.indexOf(cur.priority);
    const next = evolve(
      cur,
      {
        messages: [...cur.messages, message, ...(detail ? [detail] : [])],
        ...(reopen ? { status: 'OPEN' as const, resolvedAt: null, closedAt: null, watch: null } : {}),
        ...(higher ? { priority: note.priority } : {}),
      },
      now,
    );
    return { next, events: [], value: 'added' as const };
  });
  if (!r.ok) throw new Error(`system note on ${id} refused`);
  if (r.changed && r.value === 'opened') {
    deps.metrics.ticketOpened(note.category, 'SYSTEM');
    deps.logger.info({ ticketId: id, orderId, reason: note.key }, 'ticket opened by the platform');
  }
  return r.ticket;
}
