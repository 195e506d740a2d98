import type { Db, Document, Filter } from 'mongodb';

/**
 * Pruning without range scans. FerretDB answers `{at: {$lt: cutoff}}` by reading every document
 * of the collection, so a collection that grows on a hot path (processed-event records, published
 * outbox entries) carries a bucket number — `floor(time / bucketMs)` — in a field that leads an
 * index, and expiry deletes whole buckets by equality: each delete reads only what it removes.
 * How far pruning got is kept in `_pruning`, so no run has to look for the oldest bucket.
 */
export const PRUNING_COLLECTION = '_pruning';

export function bucketOf(at: Date | number, bucketMs: number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / bucketMs);
}

export interface PruneOptions {
  db: Db;
  collection: string;
  /** the bucket field (must lead an index, so the equality delete is index-served) */
  field: string;
  bucketMs: number;
  /** documents are kept at least this long after their bucket's time */
  keepMs: number;
  /**
   * Documents written before they carried a bucket: their time field, and which of them are
   * prunable at all (e.g. `{status: 'published'}`). They are expired by a (scanning) range delete,
   * run at each pruning only until none is left.
   */
  legacy?: { timeField: string; filter?: Filter<Document> };
}

interface Progress {
  _id: string;
  /** every bucket up to this one is deleted */
  upTo: number;
  /** no document without a bucket is left */
  legacyDone: boolean;
}

/** Deletes every bucket that expired since the last run; returns how many documents went. */
export async function pruneExpiredBuckets(opts: PruneOptions, now = Date.now()): Promise<number> {
  const { db, field, bucketMs } = opts;
  const coll = db.collection(opts.collection);
  const progress = db.collection<Progress>(PRUNING_COLLECTION);
  const key = `${opts.collection}.${field}`;
  const expiredUpTo = bucketOf(now - opts.keepMs, bucketMs) - 1;
  const state = await progress.findOne({ _id: key });
  let deleted = 0;
  if (!state) {
    // first run on this database: whatever expired before pruning existed, in one pass
    deleted += (await coll.deleteMany({ [field]: { $lte: expiredUpTo } })).deletedCount;
  } else {
    for (let b = state.upTo + 1; b <= expiredUpTo; b++) deleted += (await coll.deleteMany({ [field]: b })).deletedCount;
  }
  let legacyDone = state?.legacyDone ?? !opts.legacy;
  if (!legacyDone && opts.legacy) {
    const cutoff = new Date(now - opts.keepMs);
    const unbucketed = { ...opts.legacy.filter, [field]: { $exists: false } };
    deleted += (await coll.deleteMany({ ...unbucketed, [opts.legacy.timeField]: { $lt: cutoff } })).deletedCount;
    legacyDone = (await coll.countDocuments(unbucketed, { limit: 1 })) === 0;
  }
  if (!state || state.upTo < expiredUpTo || state.legacyDone !== legacyDone) {
    await progress.replaceOne({ _id: key }, { upTo: Math.max(expiredUpTo, state?.upTo ?? expiredUpTo), legacyDone }, { upsert: true });
  }
  return deleted;
}
