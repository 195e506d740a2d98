import { Schema, type Connection } from 'mongoose';
import { DECLINES_COLLECTION } from '../domain/declines.ts';
import { FIGURES_COLLECTION, PRODUCT_SIGNALS_COLLECTION } from '../domain/figures.ts';
import { ORDER_VIEWS_COLLECTION } from '../domain/order-view.ts';
import { TICKETS_COLLECTION } from '../domain/ticket.ts';

/**
 * Support's collections. Writes go through the outbox committer (version commits), never
 * through these models: they declare the indexes. Every read is an equality on an index's
 * leading field (index-served on MongoDB and, with @commerce/infra's equality indexes, on
 * FerretDB): tickets by `_id`, `customerId`, `orderId`, `watch` (only tickets the sweep waits
 * on) and `status` (the queue); the other collections by `_id`, flagged products by `flagged`.
 */
const loose = { strict: false, versionKey: false } as const;

const ticketSchema = new Schema({ _id: String }, { ...loose, collection: TICKETS_COLLECTION });
ticketSchema.index({ customerId: 1, createdAt: -1, _id: -1 });
ticketSchema.index({ orderId: 1 });
ticketSchema.index({ watch: 1 });
ticketSchema.index({ status: 1, slaDueAt: 1, _id: 1 });
ticketSchema.index({ assigneeId: 1, slaDueAt: 1, _id: 1 });

const orderViewSchema = new Schema({ _id: String }, { ...loose, collection: ORDER_VIEWS_COLLECTION });
const declinesSchema = new Schema({ _id: String }, { ...loose, collection: DECLINES_COLLECTION });
const figuresSchema = new Schema({ _id: String }, { ...loose, collection: FIGURES_COLLECTION });
const productSignalSchema = new Schema({ _id: String }, { ...loose, collection: PRODUCT_SIGNALS_COLLECTION });
productSignalSchema.index({ flagged: 1 });

export function registerModels(conn: Connection) {
  return {
    Ticket: conn.model('Ticket', ticketSchema),
    OrderView: conn.model('SupportOrderView', orderViewSchema),
    CustomerDeclines: conn.model('SupportCustomerDeclines', declinesSchema),
    DailyFigures: conn.model('SupportDailyFigures', figuresSchema),
    ProductSignal: conn.model('SupportProductSignal', productSignalSchema),
  };
}
