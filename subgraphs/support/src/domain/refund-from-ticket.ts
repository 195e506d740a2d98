import { RefundRequested } from '@commerce/events/contracts';
import { fail, formatAmount, ok, parseMoney, userError, type Identity, type Money, type Result } from '@commerce/platform';
import { changeTicket } from './change-ticket.ts';
import { eventMeta, TicketContendedError, type CommandMeta, type SupportDeps } from './deps.ts';
import { admitRefund, ORDER_VIEWS_COLLECTION, type LedgerEntry, type OrderView } from './order-view.ts';
import { notFound } from './post-message.ts';
import { messageId, refundId, withRefund, type TicketRecord } from './ticket.ts';
import { checkKey } from './validation.ts';

/**
 * An agent pays back part or all of the ticket's order. Two checks, each race-safe:
 *
 * 1. Support's ledger for the order (`OrderView.refunds`) admits the refund by a version commit
 *    only if it fits in what was captured minus what is refunded or requested; that commit
 *    publishes `refund-requested`. Of concurrent requests, those that fit are admitted and the
 *    others get EXCEEDS_CAPTURED at once.
 * 2. Payments decides again on its own aggregate (the source of truth) and calls its provider;
 *    its answer (`payment-refunded` / `payment-refund-rejected`) settles the entry on the ticket.
 *
 * The refund id comes from (ticket, idempotency key): a retried request finds its entry.
 */
export async function refundFromTicket(deps: SupportDeps, user: Identity, args: { ticketId: string; amount: string; idempotencyKey: string }, meta: CommandMeta): Promise<Result<{ ticket: TicketRecord; refund: LedgerEntry }>> {
  const keyError = checkKey(args.idempotencyKey, ['idempotencyKey']);
  if (keyError) return fail(keyError);
  const ticket = await deps.store.ticket(args.ticketId);
  if (!ticket) return fail({ ...notFound(), field: ['ticketId'] });
  if (!ticket.orderId) return fail(userError('NO_ORDER', 'This ticket is not about an order', ['ticketId']));
  const orderId = ticket.orderId;
  const view = await deps.store.orderView(orderId);
  const currency = view?.captured?.currencyCode ?? view?.total?.currencyCode;
  if (!view || !currency) return fail(userError('NOT_CAPTURED', "This order's payment has not been captured; there is nothing to refund", ['ticketId']));
  const parsed = parseMoney(args.amount, currency);
  if (!parsed.ok) return fail(userError('INVALID_AMOUNT', `Not an amount in ${currency} (${parsed.error})`, ['amount']));
  if (parsed.money.amount <= 0) return fail(userError('INVALID_AMOUNT', 'A refund is more than zero', ['amount']));
  const amount = parsed.money;
  const id = refundId(ticket._id, args.idempotencyKey);
  const now = new Date();

  let refusal: { code: string; message: string } | null = null;
  let entry: LedgerEntry | null = null;
  const admitted = await deps.committer.update<OrderView, null>(ORDER_VIEWS_COLLECTION, orderId, (cur) => {
    const d = admitRefund(cur, { refundId: id, ticketId: ticket._id, amount }, now);
    if ('refused' in d) {
      refusal = d.refused;
      return { done: null };
    }
    if ('existing' in d) {
      entry = d.existing;
      return { done: null };
    }
    entry = d.entry;
    const event = RefundRequested.create({ refundId: id, orderId, ticketId: ticket._id, amount, requestedBy: user.id }, eventMeta(ticket._id, meta));
    return { next: d.next, events: [event] };
  });
  if (admitted.status === 'contended') throw new TicketContendedError(orderId);
  if (refusal) {
    const r = refusal as { code: string; message: string };
    return fail(userError(r.code, r.message, ['amount']));
  }
  const admittedEntry = entry as unknown as LedgerEntry;
  if (admittedEntry.ticketId && admittedEntry.ticketId !== ticket._id) return fail(userError('IDEMPOTENCY_KEY_REUSED', 'This key was used for another refund', ['idempotencyKey']));
  if (admitted.status === 'committed') {
    deps.metrics.refund('requested');
    deps.logger.info({ ticketId: ticket._id, orderId, refundId: id, amount }, 'refund requested from a ticket');
  }
  const onTicket = await recordRefundOnTicket(deps, ticket._id, admittedEntry, user.id, now);
  return ok({ ticket: onTicket, refund: admittedEntry });
}

const describe = (m: Money) => `${formatAmount(m.amount, m.currencyCode)} ${m.currencyCode}`;

/**
 * Puts a refund (or its outcome) on its ticket, with a note to the customer. Idempotent by
 * refund id and status: called by the request and again by the consumers of payments' answer.
 */
export async function recordRefundOnTicket(deps: SupportDeps, ticketId: string, entry: LedgerEntry, requestedBy: string | null, now: Date): Promise<TicketRecord> {
  const note =
    entry.status === 'REQUESTED'
      ? { body: `We have started a refund of ${describe(entry.amount)} for your order.`, internal: false }
      : entry.status === 'SUCCEEDED'
        ? { body: `A refund of ${describe(entry.amount)} was issued to your card. It may take a few days to appear on your statement.`, internal: false }
        : { body: `Payments rejected the refund of ${describe(entry.amount)} (${entry.rejectionReason ?? 'unknown reason'}).`, internal: true };
  const r = await changeTicket(deps, ticketId, (cur) => {
    if (!cur) return { missing: true };
    const existing = cur.refunds.find((x) => x.id === entry.id);
    const refund = {
      id: entry.id,
      amount: entry.amount,
      status: entry.status,
      rejectionReason: entry.rejectionReason,
      requestedBy: existing?.requestedBy ?? requestedBy ?? 'unknown',
      requestedAt: existing?.requestedAt ?? now,
      settledAt: entry.status === 'REQUESTED' ? null : now,
    };
    const message = { id: messageId(cur._id, null, `refund:${entry.id}:${entry.status}`), author: 'SYSTEM' as const, authorId: null, body: note.body, internal: note.internal, createdAt: now };
    const next = withRefund(cur, refund, now, message);
    return next ? { next, events: [], value: null } : { value: null };
  });
  if (!r.ok) throw new Error(`ticket ${ticketId} of refund ${entry.id} not found`);
  return r.ticket;
}
