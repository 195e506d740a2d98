import { SatisfactionRated, TicketResolved } from '@commerce/events/contracts';
import { fail, ok, userError, type Identity, type Result } from '@commerce/platform';
import { changeTicket, type TicketOutcome } from './change-ticket.ts';
import { eventMeta, type CommandMeta, type SupportDeps } from './deps.ts';
import { notFound } from './post-message.ts';
import { addMessage, assign, canRead, close, isAgent, messageId, rate, resolve, type TicketRecord } from './ticket.ts';
import { checkBody, checkKey, validateRating } from './validation.ts';

const asResult = (r: TicketOutcome<unknown>): Result<TicketRecord> =>
  r.ok ? ok(r.ticket) : 'missing' in r ? fail(notFound()) : fail(userError(r.refused.code, r.refused.message, r.refused.field));

/**
 * An agent takes a ticket (or an admin gives it to an agent). Two agents taking the same ticket
 * at once: the first version commit wins, the other gets ALREADY_ASSIGNED. `force` (admins only)
 * takes it from whoever has it.
 */
export async function assignTicket(deps: SupportDeps, user: Identity, args: { ticketId: string; assigneeId?: string | null; force?: boolean | null }): Promise<Result<TicketRecord>> {
  const admin = user.roles.includes('ADMIN');
  const assigneeId = args.assigneeId ?? user.id;
  if (assigneeId !== user.id && !admin) return fail(userError('NOT_ALLOWED', 'Agents take tickets for themselves; admins assign them to others', ['assigneeId']));
  if (args.force && !admin) return fail(userError('NOT_ALLOWED', 'Only admins take a ticket from another agent', ['force']));
  const now = new Date();
  const r = await changeTicket(deps, args.ticketId, (cur) => {
    if (!cur) return { missing: true };
    const d = assign(cur, assigneeId, { force: !!args.force }, now);
    if ('refused' in d) return d;
    if ('unchanged' in d) return { value: null };
    return { next: d.next, events: [], value: null };
  });
  return asResult(r);
}

/** An agent resolves a ticket, optionally with a closing answer to the customer. */
export async function resolveTicket(deps: SupportDeps, user: Identity, args: { ticketId: string; message?: string | null; idempotencyKey?: string | null }, meta: CommandMeta): Promise<Result<TicketRecord>> {
  if (args.message) {
    const errors = [checkBody(args.message, ['message']), checkKey(args.idempotencyKey ?? '', ['idempotencyKey'])].filter((e) => e !== null);
    if (errors.length) return fail(...errors);
  }
  const now = new Date();
  const r = await changeTicket(deps, args.ticketId, (cur) => {
    if (!cur) return { missing: true };
    let t = cur;
    if (args.message) {
      const m = addMessage(t, { id: messageId(t._id, user.id, args.idempotencyKey!), author: 'AGENT', authorId: user.id, body: args.message.trim(), internal: false }, now);
      if ('refused' in m) return m;
      if ('next' in m) t = m.next;
    }
    const d = resolve(t, now);
    if ('refused' in d) return d;
    if ('unchanged' in d) return t === cur ? { value: null } : { next: t, events: [], value: null };
    const next = { ...d.next, version: cur.version + 1 };
    const event = TicketResolved.create(
      {
        ticketId: cur._id,
        customerId: cur.customerId,
        orderId: cur.orderId,
        category: cur.category,
        openedAt: cur.createdAt.toISOString(),
        firstResponseAt: next.firstResponseAt?.toISOString() ?? null,
        resolvedAt: now.toISOString(),
      },
      eventMeta(cur._id, meta),
    );
    return { next, events: [event], value: null };
  });
  if (r.ok && r.changed && r.ticket.resolvedAt?.getTime() === now.getTime()) deps.logger.info({ ticketId: r.ticket._id }, 'ticket resolved');
  return asResult(r);
}

/** The customer (or an agent) closes a ticket; a closed ticket takes no more messages. */
export async function closeTicket(deps: SupportDeps, user: Identity, ticketId: string): Promise<Result<TicketRecord>> {
  const now = new Date();
  const r = await changeTicket(deps, ticketId, (cur) => {
    if (!cur || !canRead(user, cur)) return { missing: true };
    const d = close(cur, now);
    if ('unchanged' in d) return { value: null };
    if ('refused' in d) return d;
    return { next: d.next, events: [], value: null };
  });
  return asResult(r);
}

/** The customer rates the resolution of their own ticket, once. */
export async function rateTicket(deps: SupportDeps, user: Identity, input: { ticketId: string; score: number; comment?: string | null }, meta: CommandMeta): Promise<Result<TicketRecord>> {
  const errors = validateRating(input.score, input.comment);
  if (errors.length) return fail(...errors);
  const now = new Date();
  const comment = input.comment?.trim() || null;
  const r = await changeTicket(deps, input.ticketId, (cur) => {
    // only the customer rates: an agent cannot rate on their behalf
    if (!cur || cur.customerId !== user.id) return cur && isAgent(user) ? { refused: { code: 'NOT_ALLOWED', message: 'Only the customer rates a ticket', field: ['input', 'ticketId'] } } : { missing: true };
    const d = rate(cur, input.score, comment, now);
    if ('refused' in d) return d;
    const event = SatisfactionRated.create(
      { ticketId: cur._id, customerId: cur.customerId, category: cur.category, score: input.score, resolvedAt: cur.resolvedAt!.toISOString(), ratedAt: now.toISOString() },
      eventMeta(cur._id, meta),
    );
    return { next: d.next, events: [event], value: null };
  });
  return asResult(r);
}
