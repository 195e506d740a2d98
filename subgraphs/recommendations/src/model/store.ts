import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { Binary, type Db } from 'mongodb';
import type { SnapshotInfo, SnapshotStore } from '../domain/deps.ts';
import type { RecommenderSnapshot } from '../domain/recommender.ts';
import { SNAPSHOT_CHUNKS_COLLECTION, SNAPSHOTS_COLLECTION } from './snapshot.model.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface HeadDoc {
  _id: string;
  sequence: number;
  takenAt: Date;
  bytes: number;
  chunks: number;
  sha256: string;
  instanceId: string;
  format: 'json+gzip';
}

interface ChunkDoc {
  _id: string;
  snapshotId: string;
  i: number;
  data: Binary;
  takenAt: Date;
}

/** chunks of a write that never got its head (the writer died) are removed after this long */
const ORPHAN_AFTER_MS = 10 * 60_000;

const info = (h: HeadDoc): SnapshotInfo => ({ id: h._id, sequence: h.sequence, takenAt: h.takenAt, bytes: h.bytes, chunks: h.chunks });
const newestFirst = (a: HeadDoc, b: HeadDoc) => b.sequence - a.sequence || b.takenAt.getTime() - a.takenAt.getTime() || (a._id < b._id ? 1 : -1);

/**
 * The driver implementation of the snapshot store (domain/deps.ts). A snapshot is written as
 * chunks first, then its head; readers take the newest head whose chunks are all there (a
 * snapshot pruned by another instance while being read is skipped for the next one). Several
 * instances may write: the newest sequence wins and every other snapshot is deleted — also what a
 * forgotten customer was still in.
 */
export function createSnapshotStore(db: Db, opts: { chunkBytes: number }): SnapshotStore {
  const heads = db.collection<HeadDoc>(SNAPSHOTS_COLLECTION);
  const chunks = db.collection<ChunkDoc>(SNAPSHOT_CHUNKS_COLLECTION);

  const allHeads = async () => (await heads.find({}).toArray()).sort(newestFirst);

  const read = async (h: HeadDoc): Promise<RecommenderSnapshot | null> => {
    const parts = (await chunks.find({ snapshotId: h._id }).toArray()).sort((a, b) => a.i - b.i);
    if (parts.length !== h.chunks || parts.some((p, i) => p.i !== i)) return null; // pruned meanwhile
    const gz = Buffer.concat(parts.map((p) => Buffer.from(p.data.buffer)));
    if (createHash('sha256').update(gz).digest('hex') !== h.sha256) throw new Error(`snapshot ${h._id} is corrupt (checksum mismatch)`);
    return JSON.parse((await gunzipAsync(gz)).toString('utf8')) as RecommenderSnapshot;
  };

  const prune = async (keep: string): Promise<void> => {
    const stale = (await heads.find({ _id: { $ne: keep } }).toArray()).map((h) => h._id);
    if (stale.length) {
      await heads.deleteMany({ _id: { $in: stale } });
      await chunks.deleteMany({ snapshotId: { $in: stale } });
    }
    const live = new Set((await heads.find({}).toArray()).map((h) => h._id));
    const orphans = ((await chunks.distinct('snapshotId')) as string[]).filter((id) => !live.has(id));
    if (orphans.length) await chunks.deleteMany({ snapshotId: { $in: orphans }, takenAt: { $lt: new Date(Date.now() - ORPHAN_AFTER_MS) } });
  };

  return {
    async loadLatest() {
      for (let attempt = 0; attempt < 3; attempt++) {
        for (const h of await allHeads()) {
          const snapshot = await read(h);
          if (snapshot) return { info: info(h), snapshot };
        }
      }
      return null;
    },
    async newestSequence() {
      return (await allHeads())[0]?.sequence ?? 0;
    },
    async save(snapshot, instanceId) {
      const gz = await gzipAsync(Buffer.from(JSON.stringify(snapshot), 'utf8'));
      const takenAt = new Date();
      const id = `snap_${String(snapshot.sequence).padStart(12, '0')}_${randomBytes(6).toString('hex')}`;
      const n = Math.max(1, Math.ceil(gz.length / opts.chunkBytes));
      for (let i = 0; i < n; i++) {
        const data = new Binary(gz.subarray(i * opts.chunkBytes, (i + 1) * opts.chunkBytes));
        await chunks.insertOne({ _id: `${id}:${i}`, snapshotId: id, i, data, takenAt });
      }
      const head: HeadDoc = { _id: id, sequence: snapshot.sequence, takenAt, bytes: gz.length, chunks: n, sha256: createHash('sha256').update(gz).digest('hex'), instanceId, format: 'json+gzip' };
      await heads.insertOne(head);
      // the newest sequence wins: when another instance already stored a newer one, this one goes
      const newest = (await allHeads())[0] ?? head;
      await prune(newest._id);
      return info(head);
    },
    async list() {
      return (await allHeads()).map(info);
    },
  };
}
