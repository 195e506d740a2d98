import { fail, ok, userError, type Identity, type Result } from '@commerce/platform';
import { changeTicket } from './change-ticket.ts';
import type { SupportDeps } from './deps.ts';
import { addMessage, canRead, isAgent, messageId, type TicketMessage, type TicketRecord } from './ticket.ts';
import { checkBody, checkKey } from './validation.ts';

export interface PostMessageInput {
  ticketId: string;
  body: string;
  /** an agents' note, never shown to the customer */
  internal?: boolean | null;
  idempotencyKey: string;
}

export const notFound = () => userError('TICKET_NOT_FOUND', 'No such ticket', ['input', 'ticketId']);

/**
 * Adds a message to a ticket's thread. Its id comes from (ticket, author, idempotency key), so a
 * retried send posts once. The customer writes on their own tickets; agents on any, publicly or
 * as an internal note. A customer's reply to a RESOLVED ticket within 7 days reopens it.
 */
export async function postMessage(deps: SupportDeps, user: Identity, input: PostMessageInput): Promise<Result<{ ticket: TicketRecord; message: TicketMessage }>> {
  const errors = [checkBody(input.body, ['input', 'body']), checkKey(input.idempotencyKey, ['input', 'idempotencyKey'])].filter((e) => e !== null);
  if (errors.length) return fail(...errors);
  const agent = isAgent(user);
  if (input.internal && !agent) return fail(userError('NOT_ALLOWED', 'Only support agents write internal notes', ['input', 'internal']));
  const now = new Date();
  const r = await changeTicket<TicketMessage | null>(deps, input.ticketId, (cur) => {
    if (!cur || !canRead(user, cur)) return { missing: true };
    const author = agent && user.id !== cur.customerId ? 'AGENT' : 'CUSTOMER';
    const d = addMessage(cur, { id: messageId(cur._id, user.id, input.idempotencyKey), author, authorId: user.id, body: input.body.trim(), internal: !!input.internal }, now);
    if ('refused' in d) return d;
    if ('existing' in d) return { value: d.existing };
    return { next: d.next, events: [], value: d.message };
  });
  if (!r.ok) return 'missing' in r ? fail(notFound()) : fail(userError(r.refused.code, r.refused.message, r.refused.field));
  const message = r.value ?? r.ticket.messages.find((m) => m.id === messageId(r.ticket._id, user.id, input.idempotencyKey))!;
  if (r.changed && message.author === 'AGENT' && !message.internal && r.ticket.firstResponseAt?.getTime() === now.getTime()) {
    deps.metrics.firstResponse(r.ticket.category, (now.getTime() - r.ticket.createdAt.getTime()) / 1000);
  }
  return ok({ ticket: r.ticket, message });
}
