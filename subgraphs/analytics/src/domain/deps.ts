import type { Committer, EventEnvelope, EventMeta } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { Granularity } from './buckets.ts';
import type { Counts, TopKind, Uniques, UniqueKind } from './counts.ts';
import type { Fact, FactMetric } from './facts.ts';
import type { Rollup, TopEntry } from './rollups.ts';

/** What analytics keeps in MongoDB; model/store.ts implements it (equality reads and writes only). */
export interface AnalyticsStore {
  /** links a session to a customer; the first link of a session wins (a unique insert) */
  linkSession(sessionId: string, customerId: string, at: Date): Promise<void>;
  /** the sessions linked to a customer */
  linkedSessions(customerId: string): Promise<string[]>;
  /**
   * deletes what is kept per customer: their session links, and the outbox entries of their
   * sessions' interactions (those that waited there while the broker was away; published ones are
   * otherwise kept for the outbox's retention)
   */
  forgetCustomer(customerId: string, sessionIds: readonly string[]): Promise<{ entries: number; links: number }>;
  saveRollups(g: Granularity, rollups: readonly Rollup[]): Promise<void>;
  /** the rollups of these UTC days (sketches and top lists only when asked for: they are the bulk) */
  rollups(g: Granularity, days: readonly number[], include?: { hll?: boolean; top?: boolean }): Promise<Rollup[]>;
  /** deletes expired minute rollups; returns how many went */
  prune(now: number): Promise<number>;
}

/** The live counts (Redis, model/redis-buckets.ts). Keys carry the configured prefix. */
export interface Buckets {
  /**
   * counts each new fact (SET NX of its key, then the increments), in one script; true = new.
   * `message`: the stream sequence of the message the facts came from, kept under its session
   * (in the same script) so that forgetting can erase it from the stream
   */
  count(facts: readonly Fact[], message?: { sessionId: string; seq: number }): Promise<boolean[]>;
  /** the stream sequences kept for these sessions */
  messagesOf(sessionIds: readonly string[]): Promise<number[]>;
  /** drops the sequences kept for these sessions */
  forgetMessages(sessionIds: readonly string[]): Promise<void>;
  /** the buckets' counts; null for a bucket Redis does not hold */
  counts(g: Granularity, buckets: readonly number[]): Promise<Array<Counts | null>>;
  /** each bucket's distinct subjects */
  uniques(g: Granularity, buckets: readonly number[]): Promise<Uniques[]>;
  /** distinct subjects over the union of these sketches (plus sketches from rollups) */
  unionUniques(sources: { minutes: readonly number[]; hours: readonly number[] }, extra: ReadonlyArray<Partial<Record<UniqueKind, string>>>): Promise<Uniques>;
  /** the top products of a weighted union of hours' sorted sets (plus entries from rollups) */
  top(kind: TopKind, hours: ReadonlyArray<{ hour: number; weight: number }>, extra: readonly TopEntry[], first: number): Promise<TopEntry[]>;
  /** the summed scores of these members over these hours (0 when absent) */
  scores(kind: TopKind, hours: readonly number[], members: readonly string[]): Promise<number[]>;
  /** takes (removes and returns) the minutes touched since the last flush */
  takeDirty(max: number): Promise<number[]>;
  /** puts minutes back for the next flush (a flush that failed) */
  markDirty(minutes: readonly number[]): Promise<void>;
  /** copies of the buckets Redis holds (absent ones left out) */
  snapshot(g: Granularity, buckets: readonly number[]): Promise<Rollup[]>;
  /** whether Redis holds any of these buckets */
  holdsAny(g: Granularity, buckets: readonly number[]): Promise<boolean>;
  /** adds rollups back into Redis, each bucket once (see model/redis-buckets.ts); returns how many buckets */
  restore(g: Granularity, rollups: readonly Rollup[], now: number): Promise<number>;
  /** runs `fn` only if no other instance holds the lock (expires after ttlMs); null if it was held */
  withLock<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<T | null>;
  /** the marker that says this Redis has been restored (or started empty); false after Redis lost it */
  hasMarker(): Promise<boolean>;
  setMarker(): Promise<void>;
}

/** Analytics' Prometheus counters (metrics.ts): each moves only for a fact counted the first time. */
export interface AnalyticsMetrics {
  counted(metric: FactMetric): void;
  duplicate(metric: FactMetric): void;
}

/** How long Redis keeps buckets (what is older is read from the rollups). */
export interface Retention {
  minuteSeconds: number;
  hourSeconds: number;
  minuteRollupDays: number;
}

/** What analytics' use cases need; built once in index.ts. */
export interface AnalyticsDeps {
  committer: Committer;
  /** publishes events that change no document: JetStream's ack is the commit, the outbox the fallback (`emitEvents`) */
  emit(events: EventEnvelope[]): Promise<unknown>;
  /** erases these messages from the event stream (gone already is fine); returns how many were there */
  eraseMessages(seqs: readonly number[]): Promise<number>;
  store: AnalyticsStore;
  buckets: Buckets;
  metrics: AnalyticsMetrics;
  logger: Logger;
  retention: Retention;
  now: () => number;
}

/** Who and what a command comes from, for the events it causes. */
export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}

export function eventMeta(aggregateId: string, cause: CommandMeta): EventMeta {
  return { aggregateId, correlationId: cause.requestId, ...(cause.traceparent ? { traceparent: cause.traceparent } : {}) };
}
