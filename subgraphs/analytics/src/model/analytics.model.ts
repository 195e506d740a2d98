import { Schema, type Connection } from 'mongoose';
import { FORGET_COLLECTION } from '../domain/forget-activity.ts';
import { HOURS_COLLECTION, MINUTES_COLLECTION } from '../domain/rollups.ts';
import { BATCHES_COLLECTION } from '../domain/track-events.ts';
import { SESSION_LINKS_COLLECTION } from './store.ts';

/**
 * Analytics' collections. The models declare indexes only: batches and forget requests are
 * written by the outbox committer, links by a unique insert, rollups by a replace by `_id`.
 * Every read is an equality on an index's leading field: links and batches by `customerId`
 * (forgetting), batches by `sessionId`, rollups and batches by `day` (reads and pruning).
 */
const loose = { strict: false, versionKey: false } as const;

const batchSchema = new Schema({ _id: String }, { ...loose, collection: BATCHES_COLLECTION });
batchSchema.index({ customerId: 1 });
batchSchema.index({ sessionId: 1 });
batchSchema.index({ day: 1 });

const linkSchema = new Schema({ _id: String }, { ...loose, collection: SESSION_LINKS_COLLECTION });
linkSchema.index({ customerId: 1 });

const forgetSchema = new Schema({ _id: String }, { ...loose, collection: FORGET_COLLECTION });

const minuteSchema = new Schema({ _id: Number }, { ...loose, collection: MINUTES_COLLECTION });
minuteSchema.index({ day: 1 });
const hourSchema = new Schema({ _id: Number }, { ...loose, collection: HOURS_COLLECTION });
hourSchema.index({ day: 1 });

export function registerModels(conn: Connection) {
  return {
    InteractionBatch: conn.model('AnalyticsInteractionBatch', batchSchema),
    SessionLink: conn.model('AnalyticsSessionLink', linkSchema),
    ForgetRequest: conn.model('AnalyticsForgetRequest', forgetSchema),
    MinuteRollup: conn.model('AnalyticsMinuteRollup', minuteSchema),
    HourRollup: conn.model('AnalyticsHourRollup', hourSchema),
  };
}
