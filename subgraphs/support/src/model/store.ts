import type { Db, Document, Filter } from 'mongodb';
import type { QueueFilter, SupportStore, TicketPosition } from '../domain/deps.ts';
import { FIGURES_COLLECTION, PRODUCT_SIGNALS_COLLECTION, type DailyFigures, type ProductSignal } from '../domain/figures.ts';
import { ORDER_VIEWS_COLLECTION, type OrderView } from '../domain/order-view.ts';
import { TICKETS_COLLECTION, type TicketRecord } from '../domain/ticket.ts';

/** The driver implementation of the support store port (domain/deps.ts). */
export function createSupportStore(db: Db): SupportStore {
  const tickets = db.collection<TicketRecord>(TICKETS_COLLECTION);
  const views = db.collection<OrderView>(ORDER_VIEWS_COLLECTION);
  const figures = db.collection<DailyFigures>(FIGURES_COLLECTION);
  const products = db.collection<ProductSignal>(PRODUCT_SIGNALS_COLLECTION);
  const after = (field: string, pos: TicketPosition | undefined, dir: 1 | -1): Document => {
    if (!pos) return {};
    const at = new Date(pos.at);
    const op = dir === 1 ? '$gt' : '$lt';
    return { $or: [{ [field]: { [op]: at } }, { [field]: at, _id: { [op]: pos.id } }] };
  };
  return {
    ticket: (id) => tickets.findOne({ _id: id }),
    orderView: (orderId) => views.findOne({ _id: orderId }),
    customerTickets: (customerId, page) =>
      tickets
        .find({ customerId, ...(page.status ? { status: page.status } : {}), ...after('createdAt', page.after, -1) } as Filter<TicketRecord>)
        .sort({ createdAt: -1, _id: -1 })
        .limit(page.first)
        .toArray(),
    queue: (f: QueueFilter, page) => {
      const filter: Document = {
        ...(f.status ? { status: f.status } : {}),
        ...(f.priority ? { priority: f.priority } : {}),
        ...(f.category ? { category: f.category } : {}),
        ...(f.assigneeId ? { assigneeId: f.assigneeId } : f.unassigned ? { assigneeId: null } : {}),
        ...(f.slaBreached === true ? { slaBreachedAt: { $ne: null } } : f.slaBreached === false ? { slaBreachedAt: null } : {}),
        ...after('slaDueAt', page.after, 1),
      };
      return tickets.find(filter as Filter<TicketRecord>).sort({ slaDueAt: 1, _id: 1 }).limit(page.first).toArray();
    },
    watched: (watch) => tickets.find({ watch }).toArray(),
    figures: async (ids) => (ids.length ? figures.find({ _id: { $in: ids } }).toArray() : []),
    flaggedProducts: (limit) => products.find({ flagged: true }).limit(limit).toArray(),
  };
}
