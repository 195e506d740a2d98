import { TicketOpened } from '@commerce/events/contracts';
import { fail, ok, userError, type Identity, type Result } from '@commerce/platform';
import { changeTicket } from './change-ticket.ts';
import { eventMeta, type CommandMeta, type SupportDeps } from './deps.ts';
import { customerTicketId, isAgent, messageId, openedTicket, type TicketRecord } from './ticket.ts';
import { validateOpenTicket } from './validation.ts';

export interface OpenTicketInput {
  subject: string;
  body: string;
  category: string;
  priority?: string | null;
  orderId?: string | null;
  productId?: string | null;
  /** agents only: the customer the ticket is for, when it is not about an order */
  customerId?: string | null;
  idempotencyKey: string;
}

/**
 * A customer (or an agent on a customer's behalf) opens a ticket. A ticket about an order is
 * only opened on the caller's own order (an agent's: on any order, for its customer); an order
 * support does not know answers ORDER_NOT_FOUND, the same as someone else's. The ticket id comes
 * from (caller, idempotency key): a retried open returns the ticket it opened.
 */
export async function openTicket(deps: SupportDeps, user: Identity, input: OpenTicketInput, meta: CommandMeta): Promise<Result<TicketRecord>> {
  const valid = validateOpenTicket(input);
  if (!valid.ok) return fail(...valid.errors);
  const f = valid.value;
  const agent = isAgent(user);
  if (f.priority === 'URGENT' && !agent) return fail(userError('PRIORITY_NOT_ALLOWED', 'URGENT is set by support agents', ['input', 'priority']));
  let customerId = user.id;
  if (f.orderId) {
    const view = await deps.store.orderView(f.orderId);
    if (!view?.customerId || (view.customerId !== user.id && !agent)) return fail(userError('ORDER_NOT_FOUND', 'No such order of yours', ['input', 'orderId']));
    customerId = view.customerId;
  } else if (agent && input.customerId) {
    customerId = input.customerId;
  }
  const id = customerTicketId(user.id, f.idempotencyKey);
  const now = new Date();
  const openedBy = agent && customerId !== user.id ? 'AGENT' : 'CUSTOMER';
  const r = await changeTicket(deps, id, (cur) => {
    if (cur) return { value: null }; // the same open, retried
    const next = openedTicket(
      { id, customerId, orderId: f.orderId, productId: f.productId, subject: f.subject, category: f.category, priority: f.priority, openedBy, firstMessage: { id: messageId(id, user.id, f.idempotencyKey), authorId: user.id, body: f.body } },
      deps.sla,
      now,
    );
    const event = TicketOpened.create(
      { ticketId: id, customerId, orderId: f.orderId, productId: f.productId, category: f.category, priority: f.priority, openedBy, openedAt: now.toISOString() },
      eventMeta(id, meta),
    );
    return { next, events: [event], value: null };
  });
  if (!r.ok) throw new Error(`opening ${id} failed unexpectedly`);
  if (r.changed) {
    deps.metrics.ticketOpened(f.category, openedBy);
    deps.logger.info({ ticketId: id, customerId, orderId: f.orderId, category: f.category }, 'ticket opened');
  }
  return ok(r.ticket);
}
