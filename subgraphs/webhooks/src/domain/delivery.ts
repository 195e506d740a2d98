import { createHash } from 'node:crypto';
import type { PublicEventType } from './event-types.ts';

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'SKIPPED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One delivery: one event to one subscription. Its id is stable (`msg_` + a hash of the
 * subscription and event ids): every attempt, a redelivered event and a replay all carry the same
 * `webhook-id`, which is what receivers de-duplicate on.
 */
export interface DeliveryRecord {
  _id: string;
  subscriptionId: string;
  partnerId: string;
  eventType: PublicEventType;
  eventId: string;
  /** when the event happened: the body's `timestamp`, the log's order and the replay range */
  occurredAt: Date;
  /** UTC day of occurredAt (YYYY-MM-DD): retention prunes a day by equality */
  day: string;
  /** `<subscriptionId>|<day>`: the log and replays read one day of one subscription by equality */
  subDay: string;
  /** the exact JSON sent and signed */
  body: string;
  status: DeliveryStatus;
  /** grows with every replay; a queued work item of an older generation is dropped */
  generation: number;
  attempts: number;
  lastResponseStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  /** start of the retry window (first attempt of this generation) */
  windowStartedAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One HTTP attempt of a delivery (the log's detail). */
export interface AttemptRecord {
  _id: string;
  deliveryId: string;
  generation: number;
  at: Date;
  succeeded: boolean;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  day: string;
}

export function deliveryId(subscriptionId: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('base64url').slice(0, 32)}`;
}

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function subDayOf(subscriptionId: string, day: string): string {
  return `${subscriptionId}|${day}`;
}

/** The UTC days from `from` to `to` (both included), newest first. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const start = Date.parse(`${dayOf(from)}T00:00:00.000Z`);
  for (let t = Date.parse(`${dayOf(to)}T00:00:00.000Z`); t >= start; t -= 86_400_000) days.push(dayOf(new Date(t)));
  return days;
}

/** Newest event first; the id breaks ties. */
export function newestFirst(a: Pick<DeliveryRecord, 'occurredAt' | '_id'>, b: Pick<DeliveryRecord, 'occurredAt' | '_id'>): number {
  return b.occurredAt.getTime() - a.occurredAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
}

/** An error text for the log: one line, at most 300 characters, URLs' credentials and queries removed. */
export function logError(message: string): string {
  const line = message.replace(/\b(https?:\/\/)[^\s/@]+@/gi, '$1***@').replace(/(https?:\/\/[^\s?#]+)[?#]\S*/gi, '$1').replace(/\s+/g, ' ').trim();
  return line.length <= 300 ? line : `${line.slice(0, 299)}…`;
}
