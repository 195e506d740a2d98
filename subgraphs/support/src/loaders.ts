import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { Db } from 'mongodb';
import { TICKETS_COLLECTION, type TicketRecord } from './domain/ticket.ts';

/**
 * Per-request DataLoaders: `Order.tickets` / `Payment.tickets` for a page of N orders is one
 * batch of equality reads on `orderId` (see LoaderScope.storage); tickets by id likewise.
 */
export interface Loaders {
  ticket: DataLoader<string, TicketRecord | null>;
  ticketsByOrder: DataLoader<string, TicketRecord[]>;
}

export function createLoaders(db: Db, scope: LoaderScope): Loaders {
  const tickets = db.collection<TicketRecord>(TICKETS_COLLECTION);
  return {
    ticket: createLoader(scope, 'ticket', async (ids: readonly string[]) => {
      const rows = await scope.storage.findByIds<TicketRecord>(tickets, ids);
      const byId = new Map(rows.map((t) => [t._id, t]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    ticketsByOrder: createLoader(scope, 'ticketsByOrder', async (orderIds: readonly string[]) => {
      const rows = await scope.storage.findByValues<TicketRecord>(tickets, 'orderId', orderIds);
      return orderIds.map((id) => rows.filter((t) => t.orderId === id));
    }),
  };
}
