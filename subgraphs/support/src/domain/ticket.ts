import { createHash } from 'node:crypto';
import type { Versioned } from '@commerce/events';
import { isAgent, type Identity, type Money } from '@commerce/platform';

/**
 * A support ticket: one aggregate, changed only through version commits (`committer.update`),
 * so two agents, a customer and the platform's consumers can all act on it at once without a
 * lost write. Every rule below is pure: state + command → next state (or a refusal).
 *
 *   OPEN ──agent answers──► PENDING_CUSTOMER ──customer answers──► PENDING_AGENT ─┐
 *     │                         ▲                                                 │
 *     └──────────────── agent resolves ─► RESOLVED ─► CLOSED (by either side, or  │
 *                                            │         by the sweep after 7 days) │
 *                                            └── customer reopens within 7 days ──┘
 *
 * Ids are deterministic where a retry must meet the same ticket or message: a customer's ticket
 * by (customer, idempotency key), the platform's by order (one per order), a message by
 * (ticket, author, idempotency key).
 */
export const TICKETS_COLLECTION = 'tickets';

export type TicketCategory = 'ORDER' | 'PAYMENT' | 'DELIVERY' | 'PRODUCT' | 'ACCOUNT' | 'OTHER';
export type TicketPriority = 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';
export type TicketStatus = 'OPEN' | 'PENDING_AGENT' | 'PENDING_CUSTOMER' | 'RESOLVED' | 'CLOSED';
export type MessageAuthor = 'CUSTOMER' | 'AGENT' | 'SYSTEM';
export type RefundStatus = 'REQUESTED' | 'SUCCEEDED' | 'REJECTED';
/** What the support sweep has to look at this ticket for (an equality-indexed field). */
export type TicketWatch = 'SLA' | 'CLOSE' | null;

export const TICKET_CATEGORIES: readonly TicketCategory[] = ['ORDER', 'PAYMENT', 'DELIVERY', 'PRODUCT', 'ACCOUNT', 'OTHER'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
export const TICKET_STATUSES: readonly TicketStatus[] = ['OPEN', 'PENDING_AGENT', 'PENDING_CUSTOMER', 'RESOLVED', 'CLOSED'];

export const REOPEN_WINDOW_MS = 7 * 24 * 3600_000;
/** a thread longer than this is closed to new messages: open a new ticket */
export const MAX_MESSAGES = 300;

export interface TicketMessage {
  id: string;
  author: MessageAuthor;
  /** customer id of the customer or agent; null for the platform */
  authorId: string | null;
  body: string;
  /** an agents' note the customer never sees */
  internal: boolean;
  createdAt: Date;
}

export interface TicketRefund {
  id: string;
  amount: Money;
  status: RefundStatus;
  rejectionReason: string | null;
  requestedBy: string;
  requestedAt: Date;
  settledAt: Date | null;
}

export interface TicketSatisfaction {
  score: number;
  comment: string | null;
  ratedAt: Date;
}

export interface TicketRecord extends Versioned {
  _id: string;
  customerId: string;
  orderId: string | null;
  productId: string | null;
  subject: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  openedBy: MessageAuthor;
  assigneeId: string | null;
  /** when the first agent answer is due */
  slaDueAt: Date;
  slaBreachedAt: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  watch: TicketWatch;
  messages: TicketMessage[];
  refunds: TicketRefund[];
  satisfaction: TicketSatisfaction | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Hours until the first agent answer is due, per priority. */
export type SlaPolicy = Record<TicketPriority, number>;
export const DEFAULT_SLA_HOURS: SlaPolicy = { URGENT: 1, HIGH: 4, NORMAL: 24, LOW: 72 };

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

export function customerTicketId(customerId: string, idempotencyKey: string): string {
  return `tkt_${digest('customer', customerId, idempotencyKey)}`;
}
/** The one ticket the platform keeps per order. */
export function systemTicketId(orderId: string): string {
  return `tkt_${digest('order', orderId)}`;
}
export function messageId(ticketId: string, authorId: string | null, idempotencyKey: string): string {
  return `msg_${digest(ticketId, authorId ?? 'system', idempotencyKey)}`;
}
export function refundId(ticketId: string, idempotencyKey: string): string {
  return `rf_${digest(ticketId, idempotencyKey)}`;
}

export { isAgent };

/** The customer reads their own tickets; agents read all. */
export function canRead(user: Identity | null, t: Pick<TicketRecord, 'customerId'>): boolean {
  return !!user && (user.id === t.customerId || isAgent(user));
}

/** What of the thread a reader sees: internal notes only for agents. */
export function visibleMessages(user: Identity | null, t: Pick<TicketRecord, 'messages'>): TicketMessage[] {
  return isAgent(user) ? t.messages : t.messages.filter((m) => !m.internal);
}

/** What opening a ticket needs: the ticket's own fields, its id and its first message. */
export type NewTicket = Pick<TicketRecord, 'customerId' | 'orderId' | 'productId' | 'subject' | 'category' | 'priority' | 'openedBy'> & {
  id: string;
  firstMessage: { id: string; authorId: string | null; body: string };
};

export function openedTicket(t: NewTicket, sla: SlaPolicy, now: Date): TicketRecord {
  return {
    _id: t.id,
    customerId: t.customerId,
    orderId: t.orderId,
    productId: t.productId,
    subject: t.subject,
    category: t.category,
    priority: t.priority,
    status: 'OPEN',
    openedBy: t.openedBy,
    assigneeId: null,
    slaDueAt: new Date(now.getTime() + sla[t.priority] * 3600_000),
    slaBreachedAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    watch: 'SLA',
    messages: [{ id: t.firstMessage.id, author: t.openedBy, authorId: t.firstMessage.authorId, body: t.firstMessage.body, internal: false, createdAt: now }],
    refunds: [],
    satisfaction: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export function evolve(t: TicketRecord, changes: Partial<TicketRecord>, now: Date): TicketRecord {
  return { ...t, ...changes, updatedAt: now, version: t.version + 1 };
}

export type Refusal = { refused: { code: string; message: string; field?: string[] } };
const refuse = (code: string, message: string, field?: string[]): Refusal => ({ refused: { code, message, ...(field ? { field } : {}) } });

export type MessageDecision = { next: TicketRecord; message: TicketMessage; firstResponse: boolean } | { existing: TicketMessage } | Refusal;

/**
 * Adds a message to the thread. A message id already there is the same send retried: answered
 * with the stored message, nothing posted twice. Status follows who spoke: a customer's message
 * hands the ticket to the agents (and reopens a RESOLVED one within the window), an agent's
 * public answer hands it to the customer; internal notes and the platform's notes change nothing.
 */
export function addMessage(t: TicketRecord, msg: { id: string; author: MessageAuthor; authorId: string | null; body: string; internal: boolean }, now: Date): MessageDecision {
  const existing = t.messages.find((m) => m.id === msg.id);
  if (existing) return { existing };
  if (t.status === 'CLOSED') return refuse('TICKET_CLOSED', 'This ticket is closed; open a new one', ['input', 'ticketId']);
  if (t.messages.length >= MAX_MESSAGES) return refuse('TOO_MANY_MESSAGES', `A ticket holds at most ${MAX_MESSAGES} messages; open a new one`, ['input', 'ticketId']);
  const message: TicketMessage = { ...msg, createdAt: now };
  const changes: Partial<TicketRecord> = { messages: [...t.messages, message] };
  let firstResponse = false;
  if (msg.author === 'CUSTOMER') {
    if (t.status === 'RESOLVED') {
      if (!canReopen(t, now)) return refuse('REOPEN_WINDOW_PASSED', 'This ticket was resolved more than 7 days ago; open a new one', ['input', 'ticketId']);
      Object.assign(changes, { status: 'PENDING_AGENT', resolvedAt: null, watch: null });
    } else if (t.status === 'PENDING_CUSTOMER') changes.status = 'PENDING_AGENT';
  } else if (msg.author === 'AGENT' && !msg.internal) {
    if (t.status !== 'RESOLVED') changes.status = 'PENDING_CUSTOMER';
    if (!t.firstResponseAt) {
      firstResponse = true;
      changes.firstResponseAt = now;
      if (t.watch === 'SLA') changes.watch = null;
    }
  }
  return { next: evolve(t, changes, now), message, firstResponse };
}

export function canReopen(t: Pick<TicketRecord, 'status' | 'resolvedAt'>, now: Date): boolean {
  return t.status === 'RESOLVED' && !!t.resolvedAt && now.getTime() - t.resolvedAt.getTime() <= REOPEN_WINDOW_MS;
}

export type AssignDecision = { next: TicketRecord } | { unchanged: TicketRecord } | Refusal;

/** Of two agents assigning at once, the first commit wins; the other is told who has it. */
export function assign(t: TicketRecord, assigneeId: string, opts: { force: boolean }, now: Date): AssignDecision {
  if (t.assigneeId === assigneeId) return { unchanged: t };
  if (t.status === 'CLOSED') return refuse('TICKET_CLOSED', 'This ticket is closed', ['ticketId']);
  if (t.assigneeId && !opts.force) return refuse('ALREADY_ASSIGNED', 'Another agent has taken this ticket', ['ticketId']);
  return { next: evolve(t, { assigneeId }, now) };
}

export type ResolveDecision = { next: TicketRecord } | { unchanged: TicketRecord } | Refusal;

export function resolve(t: TicketRecord, now: Date): ResolveDecision {
  if (t.status === 'RESOLVED') return { unchanged: t };
  if (t.status === 'CLOSED') return refuse('TICKET_CLOSED', 'This ticket is closed', ['ticketId']);
  return { next: evolve(t, { status: 'RESOLVED', resolvedAt: now, watch: 'CLOSE' }, now) };
}

export function close(t: TicketRecord, now: Date): ResolveDecision {
  if (t.status === 'CLOSED') return { unchanged: t };
  return { next: evolve(t, { status: 'CLOSED', closedAt: now, watch: null }, now) };
}

export type RateDecision = { next: TicketRecord } | Refusal;

/** One rating per ticket, once it is resolved (or closed after resolution). */
export function rate(t: TicketRecord, score: number, comment: string | null, now: Date): RateDecision {
  if (!t.resolvedAt || (t.status !== 'RESOLVED' && t.status !== 'CLOSED')) return refuse('NOT_RESOLVED', 'A ticket can be rated once it is resolved', ['input', 'ticketId']);
  if (t.satisfaction) return refuse('ALREADY_RATED', 'This ticket has been rated already', ['input', 'ticketId']);
  return { next: evolve(t, { satisfaction: { score, comment, ratedAt: now } }, now) };
}

/** The sweep's findings for one ticket it watches. */
export function sweepAction(t: TicketRecord, now: Date): 'breach' | 'autoclose' | null {
  if (t.watch === 'SLA' && !t.firstResponseAt && !t.slaBreachedAt && t.slaDueAt.getTime() <= now.getTime() && t.status !== 'RESOLVED' && t.status !== 'CLOSED') return 'breach';
  if (t.watch === 'CLOSE' && t.status === 'RESOLVED' && t.resolvedAt && now.getTime() - t.resolvedAt.getTime() > REOPEN_WINDOW_MS) return 'autoclose';
  return null;
}

/** A refund on the ticket: added when requested, updated when payments answers (by id, once). */
export function withRefund(t: TicketRecord, refund: TicketRefund, now: Date, note?: TicketMessage): TicketRecord | null {
  const i = t.refunds.findIndex((r) => r.id === refund.id);
  if (i >= 0 && t.refunds[i]!.status === refund.status) return null;
  if (i >= 0 && t.refunds[i]!.status !== 'REQUESTED') return null; // settled answers are final
  const refunds = i >= 0 ? t.refunds.map((r, j) => (j === i ? { ...r, status: refund.status, rejectionReason: refund.rejectionReason, settledAt: refund.settledAt } : r)) : [...t.refunds, refund];
  const messages = note && !t.messages.some((m) => m.id === note.id) ? [...t.messages, note] : t.messages;
  return evolve(t, { refunds, messages }, now);
}
