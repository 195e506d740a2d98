import type { Db, Document } from 'mongodb';
import { isDuplicateKeyError } from '@commerce/events';
import { mapLimit, PARALLEL_LOOKUPS, pruneExpiredBuckets } from '@commerce/storage';
import { DAY_MS } from '../domain/buckets.ts';
import type { AnalyticsStore, Retention } from '../domain/deps.ts';
import { MINUTES_COLLECTION, rollupCollection, type Rollup } from '../domain/rollups.ts';
import { BATCHES_COLLECTION } from '../domain/track-events.ts';

/** Session → customer: `{ _id: sessionId, customerId, linkedAt }`, inserted once (the first link wins). */
export const SESSION_LINKS_COLLECTION = 'session_links';

interface SessionLink {
  _id: string;
  customerId: string;
  linkedAt: Date;
}

/** The driver implementation of the analytics store port (domain/deps.ts). */
export function createAnalyticsStore(db: Db, opts: Retention & { batchRetentionDays: number }): AnalyticsStore {
  const links = db.collection<SessionLink>(SESSION_LINKS_COLLECTION);
  const batches = db.collection(BATCHES_COLLECTION);
  const rollups = (g: Parameters<typeof rollupCollection>[0]) => db.collection<Rollup>(rollupCollection(g));
  return {
    async linkSession(sessionId, customerId, at) {
      try {
        await links.insertOne({ _id: sessionId, customerId, linkedAt: at });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // linked before (to them, or to whoever signed in first)
      }
    },
    async linkedSessions(customerId) {
      return (await links.find({ customerId }, { projection: { _id: 1 } }).toArray()).map((l) => l._id);
    },
    async forgetCustomer(customerId, sessionIds) {
      let removed = (await batches.deleteMany({ customerId })).deletedCount;
      // the anonymous batches of their sessions (before they signed in), one equality each
      const counts = await mapLimit(sessionIds, PARALLEL_LOOKUPS, async (sessionId) => (await batches.deleteMany({ sessionId, customerId: null })).deletedCount);
      removed += counts.reduce((a, b) => a + b, 0);
      const unlinked = (await links.deleteMany({ customerId })).deletedCount;
      return { batches: removed, links: unlinked };
    },
    async saveRollups(g, docs) {
      const coll = rollups(g);
      await mapLimit(docs, PARALLEL_LOOKUPS, (doc) => coll.replaceOne({ _id: doc._id }, doc, { upsert: true }));
    },
    async rollups(g, days, include = {}) {
      const coll = rollups(g);
      const projection: Document = { ...(include.hll ? {} : { hll: 0 }), ...(include.top ? {} : { top: 0 }) };
      const rows = await mapLimit(days, PARALLEL_LOOKUPS, (day) => coll.find({ day }, { projection }).toArray());
      return rows.flat() as Rollup[];
    },
    async prune(now) {
      const batchesGone = await pruneExpiredBuckets({ db, collection: BATCHES_COLLECTION, field: 'day', bucketMs: DAY_MS, keepMs: opts.batchRetentionDays * DAY_MS }, now);
      const minutesGone = await pruneExpiredBuckets({ db, collection: MINUTES_COLLECTION, field: 'day', bucketMs: DAY_MS, keepMs: opts.minuteRollupDays * DAY_MS }, now);
      return batchesGone + minutesGone;
    },
  };
}
