import { badUserInput, forbidden, isAgent, MAX_PAGE_SIZE, unauthenticated, type Identity, type Result, type UserError } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { CustomerResolvers, MutationResolvers, OrderResolvers, PaymentResolvers, QueryResolvers, TicketResolvers } from '../__generated__/resolvers-types.ts';
import { assignTicket, closeTicket, rateTicket, resolveTicket } from '../domain/agent-actions.ts';
import { daysBetween, figuresId, summarize } from '../domain/figures.ts';
import { openTicket } from '../domain/open-ticket.ts';
import { postMessage } from '../domain/post-message.ts';
import { refundFromTicket } from '../domain/refund-from-ticket.ts';
import { canRead, TICKET_CATEGORIES, type TicketRecord } from '../domain/ticket.ts';
import { readCursor, ticketPage, toApiTicket } from './ticket.mapper.ts';

const meta = (ctx: Context) => ({ requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });
const signedIn = (ctx: Context): Identity => {
  if (!ctx.user) throw unauthenticated(); // also enforced by permissions.ts
  return ctx.user;
};
const pageSize = (first: number | null | undefined) => {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return n;
};
const ticketResult = (r: Result<TicketRecord>, user: Identity): { ticket: ReturnType<typeof toApiTicket> | null; userErrors: UserError[] } =>
  r.ok ? { ticket: toApiTicket(r.value, user), userErrors: [] } : { ticket: null, userErrors: r.errors };

/** Thin: the domain validates and decides; userErrors carry the expected failures. */
export const Query: QueryResolvers = {
  async ticket(_p, { id }, ctx) {
    const user = signedIn(ctx);
    const t = await ctx.loaders.ticket.load(id);
    return t && canRead(user, t) ? toApiTicket(t, user) : null;
  },
  async supportQueue(_p, args, ctx) {
    const user = signedIn(ctx);
    const first = pageSize(args.first);
    const after = readCursor(args.after);
    if (after === 'invalid') throw badUserInput('after is not a cursor of this list', 'after');
    const f = args.filter ?? {};
    const rows = await ctx.deps.store.queue(
      {
        ...(f.status ? { status: f.status as never } : {}),
        ...(f.priority ? { priority: f.priority as never } : {}),
        ...(f.category ? { category: f.category as never } : {}),
        ...(f.assigneeId ? { assigneeId: String(f.assigneeId) } : {}),
        ...(f.unassigned ? { unassigned: true } : {}),
        ...(typeof f.slaBreached === 'boolean' ? { slaBreached: f.slaBreached } : {}),
      },
      { first: first + 1, ...(after ? { after } : {}) },
    );
    return ticketPage(rows, first, 'slaDueAt', user, !!after);
  },
  async supportFigures(_p, args, ctx) {
    const from = new Date(args.from);
    const to = new Date(args.to);
    if (to < from) throw badUserInput('to is before from', 'to');
    const days = daysBetween(from, to);
    const categories = args.category ? [args.category] : TICKET_CATEGORIES;
    const docs = await ctx.deps.store.figures(days.flatMap((d) => categories.map((c) => figuresId(d, c))));
    return docs.map(summarize).sort((a, b) => a.day.localeCompare(b.day) || a.category.localeCompare(b.category));
  },
  async flaggedProducts(_p, args, ctx) {
    const rows = await ctx.deps.store.flaggedProducts(pageSize(args.first));
    return rows.map((p) => ({ productId: p._id, ticketCount: p.ticketIds.length, flaggedAt: p.flaggedAt }));
  },
};

export const Mutation: MutationResolvers = {
  async openTicket(_p, { input }, ctx) {
    const user = signedIn(ctx);
    return ticketResult(await openTicket(ctx.deps, user, input, meta(ctx)), user);
  },
  async postTicketMessage(_p, { input }, ctx) {
    const user = signedIn(ctx);
    const r = await postMessage(ctx.deps, user, input);
    if (!r.ok) return { message: null, ticket: null, userErrors: r.errors };
    return { message: r.value.message, ticket: toApiTicket(r.value.ticket, user), userErrors: [] };
  },
  async assignTicket(_p, args, ctx) {
    const user = signedIn(ctx);
    return ticketResult(await assignTicket(ctx.deps, user, args), user);
  },
  async resolveTicket(_p, args, ctx) {
    const user = signedIn(ctx);
    return ticketResult(await resolveTicket(ctx.deps, user, args, meta(ctx)), user);
  },
  async closeTicket(_p, args, ctx) {
    const user = signedIn(ctx);
    return ticketResult(await closeTicket(ctx.deps, user, args.ticketId), user);
  },
  async rateTicket(_p, { input }, ctx) {
    const user = signedIn(ctx);
    return ticketResult(await rateTicket(ctx.deps, user, input, meta(ctx)), user);
  },
  async refundFromTicket(_p, args, ctx) {
    const user = signedIn(ctx);
    const r = await refundFromTicket(ctx.deps, user, args, meta(ctx));
    if (!r.ok) return { refund: null, ticket: null, userErrors: r.errors };
    const t = toApiTicket(r.value.ticket, user);
    return { refund: t.refunds.find((x) => x.id === r.value.refund.id) ?? null, ticket: t, userErrors: [] };
  },
};

/** Tickets of entities other subgraphs own; readable by the entity's customer and agents. */
const ticketsOf = async (orderId: string, ctx: Context) => {
  const user = signedIn(ctx);
  const tickets = (await ctx.loaders.ticketsByOrder.load(orderId)).filter((t) => canRead(user, t));
  return tickets.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((t) => toApiTicket(t, user));
};

export const Order: OrderResolvers = {
  __resolveReference: (ref) => ref, // nothing to look up: the tickets are loaded (batched) only when asked for
  tickets: (order, _a, ctx) => ticketsOf(order.id, ctx),
};

export const Payment: PaymentResolvers = {
  __resolveReference: (ref) => ref, // nothing to look up: the tickets are loaded (batched) only when asked for
  // a payment's id is `pay_<orderId>` (payments/domain/payment.ts paymentIdFor)
  tickets: (payment, _a, ctx) => (payment.id.startsWith('pay_') ? ticketsOf(payment.id.slice(4), ctx) : []),
};

export const Customer: CustomerResolvers = {
  __resolveReference: (ref) => ref, // nothing to look up: the tickets are loaded (batched) only when asked for
  async tickets(customer, args, ctx) {
    const user = signedIn(ctx);
    if (user.id !== customer.id && !isAgent(user)) throw forbidden("Only the customer and support agents may read a customer's tickets");
    const first = pageSize(args.first);
    const after = readCursor(args.after);
    if (after === 'invalid') throw badUserInput('after is not a cursor of this list', 'after');
    const rows = await ctx.deps.store.customerTickets(customer.id, { first: first + 1, ...(after ? { after } : {}), ...(args.status ? { status: args.status as never } : {}) });
    return ticketPage(rows, first, 'createdAt', user, !!after);
  },
};

export const Ticket: TicketResolvers = {
  async __resolveReference(ref, ctx) {
    const t = await ctx.loaders.ticket.load(ref.id);
    return t && canRead(ctx.user, t) ? toApiTicket(t, ctx.user) : null;
  },
};

