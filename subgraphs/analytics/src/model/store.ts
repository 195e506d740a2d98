import type { Db, Document } from 'mongodb';
import { isDuplicateKeyError, outboxCollection } from '@commerce/events';
import { mapLimit, PARALLEL_LOOKUPS, pruneExpiredBuckets } from '@commerce/storage';
import { DAY_MS } from '../domain/buckets.ts';
import type { AnalyticsStore, Retention } from '../domain/deps.ts';
import { MINUTES_COLLECTION, rollupCollection, type Rollup } from '../domain/rollups.ts';

/** Session → customer: `{ _id: sessionId, customerId, linkedAt }`, inserted once (the first link wins). */
export const SESSION_LINKS_COLLECTION = 'session_links';

/** sessions this instance linked (or found linked) lately: a signed-in shopper's every call need not try the insert again */
const LINKED_MEMO_SIZE = 10_000;

interface SessionLink {
  _id: string;
  customerId: string;
  linkedAt: Date;
}

/** The driver implementation of the analytics store port (domain/deps.ts). */
export function createAnalyticsStore(db: Db, opts: Retention): AnalyticsStore {
  const links = db.collection<SessionLink>(SESSION_LINKS_COLLECTION);
  const outbox = outboxCollection(db);
  const linked = new Set<string>();
  const rollups = (g: Parameters<typeof rollupCollection>[0]) => db.collection<Rollup>(rollupCollection(g));
  return {
    async linkSession(sessionId, customerId, at) {
      if (linked.has(sessionId)) return;
      try {
        await links.insertOne({ _id: sessionId, customerId, linkedAt: at });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // linked before (to them, or to whoever signed in first)
      }
      if (linked.size >= LINKED_MEMO_SIZE) linked.clear();
      linked.add(sessionId);
    },
    async linkedSessions(customerId) {
      return (await links.find({ customerId }, { projection: { _id: 1 } }).toArray()).map((l) => l._id);
    },
    async forgetCustomer(customerId, sessionIds) {
      // interactions are emitted under their session (track-events.ts): one equality per session
      const counts = await mapLimit(sessionIds, PARALLEL_LOOKUPS, async (sessionId) => (await outbox.deleteMany({ aggregateId: sessionId, collection: '' })).deletedCount);
      for (const sessionId of sessionIds) linked.delete(sessionId);
      const unlinked = (await links.deleteMany({ customerId })).deletedCount;
      return { entries: counts.reduce((a, b) => a + b, 0), links: unlinked };
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
      return pruneExpiredBuckets({ db, collection: MINUTES_COLLECTION, field: 'day', bucketMs: DAY_MS, keepMs: opts.minuteRollupDays * DAY_MS }, now);
    },
  };
}
