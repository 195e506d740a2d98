import type { Committer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { ReservationRecord } from './reservation.ts';
import type { StockLevelRecord } from './stock-level.ts';

/**
 * Reads the use cases need, and the watch list of open reservations. Writes of aggregates go
 * through the committer only. (Mongo implementation: model/store.ts; in-memory: test/support.)
 */
export interface InventoryStore {
  /** every stock level (all locations) of these variants, in one batch (without the holds) */
  levelsOfVariants(variantIds: readonly string[]): Promise<Array<Omit<StockLevelRecord, 'holds'>>>;
  reservation(id: string): Promise<ReservationRecord | null>;
  /**
   * Whether a version after `version` of an aggregate is committed (its outbox entry exists).
   * A decision *not* to change (a rejection, a no-op) made on a document read can be stale by
   * the few ms between a winner's outbox claim and its document write; this double-checks it.
   */
  hasVersionAfter(collection: string, id: string, version: number): Promise<boolean>;
  reservations(ids: readonly string[]): Promise<ReservationRecord[]>;
  /**
   * The watch list: ids of reservations that may need the sweep (HELD, or in a transition).
   * Kept in a small collection of its own so the sweep never scans every reservation ever made
   * (FerretDB uses no index for reads). Written before a claim, removed once settled.
   */
  watch(reservationId: string, since: Date): Promise<void>;
  /** removes the entry unless it was (re)written after `notAfter` — by a worker about to claim a new step */
  unwatch(reservationId: string, notAfter: Date): Promise<void>;
  watched(limit: number): Promise<Array<{ _id: string; since: Date }>>;
}

/** What inventory's use cases need; built once in index.ts. */
export interface InventoryDeps {
  committer: Committer;
  store: InventoryStore;
  logger: Logger;
  clock: () => Date;
  /** how long a HELD reservation lives */
  reservationTtlMs: number;
  /** how long a worker owns a transition before another may take it over */
  leaseMs: number;
}

/** Tracing metadata a command or consumed event passes on to the events it causes. */
export interface Cause {
  /** the consumed event's id (causationId of what we publish) */
  eventId?: string;
  correlationId?: string;
  traceparent?: string;
}

export const DEFAULT_LEASE_MS = 30_000;

/** Thrown when a step cannot be done now but may succeed later: consumers nak and retry. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

/** A worker's lease ran out (or was taken over) mid-transition: it stops touching stock. */
export class LeaseLostError extends RetryLaterError {
  override name = 'LeaseLostError';
}
