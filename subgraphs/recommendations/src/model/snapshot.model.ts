import { Schema, type Connection } from 'mongoose';

/**
 * Recommendations' collections: the model's snapshots, nothing per request. A snapshot is the
 * gzipped JSON of the whole in-memory state, split into chunks of at most
 * RECOMMENDATIONS_SNAPSHOT_CHUNK_BYTES (4 MB; a document holds at most 16 MB) in
 * `model_snapshot_chunks`, and a head in `model_snapshots` written after its chunks (a head
 * names a complete snapshot). Only the newest is kept. Reads: the heads (a handful of documents)
 * and one snapshot's chunks by `snapshotId`, at start and when a snapshot is written.
 */
export const SNAPSHOTS_COLLECTION = 'model_snapshots';
export const SNAPSHOT_CHUNKS_COLLECTION = 'model_snapshot_chunks';

const loose = { strict: false, versionKey: false } as const;

const snapshotSchema = new Schema({ _id: String }, { ...loose, collection: SNAPSHOTS_COLLECTION });
snapshotSchema.index({ sequence: -1 });

const chunkSchema = new Schema({ _id: String }, { ...loose, collection: SNAPSHOT_CHUNKS_COLLECTION });
chunkSchema.index({ snapshotId: 1, i: 1 });

export function registerModels(conn: Connection) {
  return {
    Snapshot: conn.model('RecommendationsSnapshot', snapshotSchema),
    SnapshotChunk: conn.model('RecommendationsSnapshotChunk', chunkSchema),
  };
}
