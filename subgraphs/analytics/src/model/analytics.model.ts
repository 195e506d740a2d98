import { Schema, type Connection } from 'mongoose';
import { FORGET_COLLECTION } from '../domain/forget-activity.ts';
import { HOURS_COLLECTION, MINUTES_COLLECTION } from '../domain/rollups.ts';
import { SESSION_LINKS_COLLECTION } from './store.ts';

/**
 * Analytics' collections. The models declare indexes only: forget requests are written by the
 * outbox committer, links by a unique insert, rollups by a replace by `_id`. Interactions are
 * not stored here (they travel as events; see domain/track-events.ts). Every read is an
 * equality on an index's leading field: links by `customerId` (forgetting), rollups by `day`
 * (reads and pruning), outbox entries by `aggregateId` (forgetting a session's).
 */
const loose = { strict: false, versionKey: false } as const;

const linkSchema = new Schema({ _id: String }, { ...loose, collection: SESSION_LINKS_COLLECTION });
linkSchema.index({ customerId: 1 });

const forgetSchema = new Schema({ _id: String }, { ...loose, collection: FORGET_COLLECTION });

const minuteSchema = new Schema({ _id: Number }, { ...loose, collection: MINUTES_COLLECTION });
minuteSchema.index({ day: 1 });
const hourSchema = new Schema({ _id: Number }, { ...loose, collection: HOURS_COLLECTION });
hourSchema.index({ day: 1 });

export function registerModels(conn: Connection) {
  return {
    SessionLink: conn.model('AnalyticsSessionLink', linkSchema),
    ForgetRequest: conn.model('AnalyticsForgetRequest', forgetSchema),
    MinuteRollup: conn.model('AnalyticsMinuteRollup', minuteSchema),
    HourRollup: conn.model('AnalyticsHourRollup', hourSchema),
  };
}
