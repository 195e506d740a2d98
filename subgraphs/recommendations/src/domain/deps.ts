import type { Logger } from '@commerce/platform';
import type { Rng } from './bandit.ts';
import type { Recommender, RecommenderSnapshot } from './recommender.ts';

/** A stored snapshot's head: which stream sequence it covers, and when it was taken. */
export interface SnapshotInfo {
  id: string;
  sequence: number;
  takenAt: Date;
  /** size of the serialized (compressed) snapshot */
  bytes: number;
  chunks: number;
}

/**
 * Where snapshots of the model live (model/store.ts implements it with the driver). Reads happen
 * at start and when a snapshot is written, never per request.
 */
export interface SnapshotStore {
  /** the newest complete snapshot, or null when there is none */
  loadLatest(): Promise<{ info: SnapshotInfo; snapshot: RecommenderSnapshot } | null>;
  /** the sequence of the newest stored snapshot (0 when none) */
  newestSequence(): Promise<number>;
  /** stores a snapshot, then deletes every older one (and what a crashed write left) */
  save(snapshot: RecommenderSnapshot, instanceId: string): Promise<SnapshotInfo>;
  /** every stored snapshot's head, newest first (operations, tests) */
  list(): Promise<SnapshotInfo[]>;
}

/** Recommendations' Prometheus metrics (see metrics.ts). */
export interface RecommendationsMetrics {
  served(slot: string, strategy: string): void;
  eventsApplied(type: string): void;
  snapshotWritten(bytes: number, ms: number): void;
}

/** What the resolvers and the feed need; built once in index.ts. */
export interface RecommendationsDeps {
  recommender: Recommender;
  /** the bandit's random source (seeded in tests) */
  rng: Rng;
  metrics: RecommendationsMetrics;
  logger: Logger;
  /** the last snapshot this instance loaded or wrote */
  lastSnapshot(): SnapshotInfo | null;
}
