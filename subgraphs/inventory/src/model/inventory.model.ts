import { Schema, type Connection, type Model } from 'mongoose';
import type { ReservationRecord } from '../domain/reservation.ts';
import type { StockLevelRecord } from '../domain/stock-level.ts';

/**
 * Inventory's collections. Documents are written by the outbox committer only (raw driver,
 * versioned); these schemas declare the collections and their indexes (plain ones: FerretDB has
 * no TTL/partial indexes, and uses none for reads — they serve real MongoDB).
 */
const stockLevelSchema = new Schema<StockLevelRecord>(
  {
    _id: { type: String, required: true },
    variantId: { type: String, required: true },
    locationId: { type: String, required: true },
    onHand: { type: Number, required: true },
    reserved: { type: Number, required: true },
    holds: [new Schema({ reservationId: String, quantity: Number }, { _id: false })],
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'stock_levels', versionKey: false },
);
// the availability DataLoader: every level of a batch of variants in one query
stockLevelSchema.index({ variantId: 1 });

const reservationSchema = new Schema<ReservationRecord>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'reservations', versionKey: false, strict: false },
);

/** The sweep's watch list: reservations that are HELD or in a transition (small, unlike `reservations`). */
export interface OpenReservation {
  _id: string;
  since: Date;
}
const openReservationSchema = new Schema<OpenReservation>({ _id: { type: String, required: true }, since: { type: Date, required: true } }, { collection: 'open_reservations', versionKey: false });

export interface InventoryModels {
  StockLevel: Model<StockLevelRecord>;
  Reservation: Model<ReservationRecord>;
  OpenReservation: Model<OpenReservation>;
}

export function registerModels(conn: Connection): InventoryModels {
  return {
    StockLevel: conn.model<StockLevelRecord>('StockLevel', stockLevelSchema),
    Reservation: conn.model<ReservationRecord>('Reservation', reservationSchema),
    OpenReservation: conn.model<OpenReservation>('OpenReservation', openReservationSchema),
  };
}
