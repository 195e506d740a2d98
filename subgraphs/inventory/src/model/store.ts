import { outboxCollection } from '@commerce/events';
import { isDuplicateKeyError } from '@commerce/platform';
import type { Storage } from '@commerce/storage';
import type { Db } from 'mongodb';
import type { InventoryStore } from '../domain/deps.ts';
import type { ReservationRecord } from '../domain/reservation.ts';
import type { StockLevelRecord } from '../domain/stock-level.ts';
import type { InventoryModels, OpenReservation } from './inventory.model.ts';

/** The MongoDB side of InventoryStore (raw driver reads: the documents are the committer's). */
export function createStore(models: InventoryModels, db: Db, storage: Storage): InventoryStore {
  const outbox = outboxCollection(db);
  const levels = models.StockLevel.collection;
  const reservations = models.Reservation.collection;
  const open = models.OpenReservation.collection;
  return {
    async levelsOfVariants(variantIds) {
      return (await storage.findByValues(levels, 'variantId', variantIds, { projection: { holds: 0 } })) as unknown as Array<Omit<StockLevelRecord, 'holds'>>;
    },
    async reservation(id) {
      return (await reservations.findOne({ _id: id } as never)) as unknown as ReservationRecord | null;
    },
    async hasVersionAfter(collection, id, version) {
      return !!(await outbox.findOne({ _id: `${collection}:${id}:${version + 1}` }, { projection: { _id: 1 } }));
    },
    async reservations(ids) {
      return (await storage.findByIds(reservations, ids)) as unknown as ReservationRecord[];
    },
    async watch(reservationId, since) {
      try {
        await open.updateOne({ _id: reservationId } as never, { $set: { since } }, { upsert: true });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // a concurrent upsert inserted it: watched either way
      }
    },
    async unwatch(reservationId, notAfter) {
      await open.deleteOne({ _id: reservationId, since: { $lte: notAfter } } as never);
    },
    async watched(limit) {
      return (await open.find({}).limit(limit).toArray()) as unknown as OpenReservation[];
    },
  };
}
