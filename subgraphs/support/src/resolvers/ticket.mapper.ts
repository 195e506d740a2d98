import { encodeCursor, decodeCursor, toApiMoney, type Identity, type PageInfo } from '@commerce/platform';
import type { TicketPosition } from '../domain/deps.ts';
import { visibleMessages, type TicketRecord } from '../domain/ticket.ts';

/** The API shape of a ticket for this reader (internal notes only for agents). */
export function toApiTicket(t: TicketRecord, user: Identity | null) {
  return {
    id: t._id,
    subject: t.subject,
    category: t.category,
    priority: t.priority,
    status: t.status,
    openedBy: t.openedBy,
    customer: { id: t.customerId },
    order: t.orderId ? { id: t.orderId } : null,
    productId: t.productId,
    assigneeId: t.assigneeId,
    slaDueAt: t.slaDueAt,
    slaBreached: !!t.slaBreachedAt,
    firstResponseAt: t.firstResponseAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    messages: visibleMessages(user, t).map((m) => ({ ...m })),
    refunds: t.refunds.map((r) => ({ ...r, amount: toApiMoney(r.amount) })),
    satisfaction: t.satisfaction,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
export type ApiTicket = ReturnType<typeof toApiTicket>;

const isPosition = (v: unknown): v is TicketPosition =>
  typeof v === 'object' && v !== null && typeof (v as TicketPosition).at === 'string' && typeof (v as TicketPosition).id === 'string' && !Number.isNaN(Date.parse((v as TicketPosition).at));

export function readCursor(after: string | null | undefined): TicketPosition | undefined | 'invalid' {
  if (!after) return undefined;
  return decodeCursor(after, isPosition) ?? 'invalid';
}

/** A page from `first + 1` rows: the extra one only says there is a next page. */
export function ticketPage(rows: TicketRecord[], first: number, sortKey: 'createdAt' | 'slaDueAt', user: Identity | null, hasPrevious: boolean) {
  const items = rows.slice(0, first);
  const edges = items.map((t) => ({ cursor: encodeCursor({ at: new Date(t[sortKey]).toISOString(), id: t._id }), node: toApiTicket(t, user) }));
  const pageInfo: PageInfo = { hasNextPage: rows.length > first, hasPreviousPage: hasPrevious, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
  return { edges, pageInfo };
}
