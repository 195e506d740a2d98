import type { Logger } from '@commerce/platform';
import type { RecommendationsMetrics, SnapshotInfo, SnapshotStore } from './deps.ts';
import type { Recommender } from './recommender.ts';

/** after an ActivityForgotten, the snapshot without the customer is written this soon */
export const FORGET_SNAPSHOT_DELAY_MS = 1000;

export interface Snapshotter {
  /** writes a snapshot now unless nothing changed since the last one (or a newer one is stored) */
  takeNow(opts?: { force?: boolean }): Promise<SnapshotInfo | null>;
  /** the last snapshot this instance loaded or wrote */
  last(): SnapshotInfo | null;
  /** stops the timer and writes the final snapshot */
  stop(): Promise<void>;
}

/**
 * Writes the recommender's snapshot every `everyMs`, soon after a customer was forgotten (so the
 * stored snapshot stops holding them: older snapshots are deleted when a new one is stored) and on
 * stop. One write at a time. A write is skipped when the state has not moved since this
 * instance's last snapshot, or when another instance already stored one at least as new (each
 * snapshot is the whole state at its sequence: any instance's newest will do to start from).
 */
export function startSnapshots(opts: { recommender: Recommender; store: SnapshotStore; everyMs: number; instanceId: string; logger: Logger; metrics: RecommendationsMetrics; loaded: SnapshotInfo | null }): Snapshotter {
  const { recommender, store, logger } = opts;
  let last = opts.loaded;
  let writtenSequence = opts.loaded?.sequence ?? -1;
  let forgetsWritten = 0;
  let stopped = false;

  const write = async (force: boolean): Promise<SnapshotInfo | null> => {
    const forgets = recommender.forgets;
    const sequence = recommender.lastAppliedSequence;
    if (!force && sequence === writtenSequence && forgets === forgetsWritten) return null;
    if (!force && (await store.newestSequence()) >= sequence && forgets === forgetsWritten) {
      writtenSequence = sequence;
      return null;
    }
    const started = Date.now();
    recommender.prune(recommender.lastPublishedAt || Date.now());
    const info = await store.save(recommender.snapshot(), opts.instanceId);
    writtenSequence = info.sequence;
    forgetsWritten = forgets;
    last = info;
    opts.metrics.snapshotWritten(info.bytes, Date.now() - started);
    logger.info({ sequence: info.sequence, bytes: info.bytes, chunks: info.chunks, ms: Date.now() - started }, 'recommendations snapshot written');
    return info;
  };

  let chain: Promise<unknown> = Promise.resolve();
  const takeNow = (o?: { force?: boolean }): Promise<SnapshotInfo | null> => {
    const next = chain.then(() => write(o?.force ?? false));
    chain = next.catch(() => undefined);
    return next;
  };

  const tick = () => {
    takeNow().catch((err) => logger.warn({ err }, 'recommendations snapshot failed; retried at the next one'));
  };
  const timer = setInterval(tick, opts.everyMs);
  timer.unref();
  // a forget asks for a snapshot soon (checked often; cheap: a number compared)
  let forgetTimer: NodeJS.Timeout | null = null;
  const watch = setInterval(() => {
    if (stopped || forgetTimer || recommender.forgets === forgetsWritten) return;
    forgetTimer = setTimeout(() => {
      forgetTimer = null;
      tick();
    }, FORGET_SNAPSHOT_DELAY_MS);
    forgetTimer.unref();
  }, 250);
  watch.unref();

  return {
    takeNow,
    last: () => last,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(watch);
      if (forgetTimer) clearTimeout(forgetTimer);
      await takeNow().catch((err) => logger.warn({ err }, 'final recommendations snapshot failed'));
    },
  };
}
