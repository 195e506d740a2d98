import { startPeriodic } from '@commerce/platform';
import { daysOverlapping, epochHour, epochMinute, HOUR_MS, MINUTE_MS, type Granularity } from './buckets.ts';
import type { AnalyticsDeps } from './deps.ts';

/**
 * Durable rollups and their way back into Redis.
 *
 * Flush (every ANALYTICS_FLUSH_EVERY_MS, by whichever instance holds the flush lock): the
 * minutes the counting script marked dirty (it adds every minute it touches to a set), plus the
 * current and the previous minute, and their hours, are copied from Redis into
 * `analytics_minutes` / `analytics_hours` by a replace of the bucket's document — idempotent; a
 * failed flush puts its minutes back. Dirty minutes are taken before they are read, so a count
 * that lands meanwhile marks its minute again and is flushed next time.
 *
 * Restore (at start, and whenever a flush finds Redis' restore marker gone): when Redis lost its
 * data, the last ANALYTICS_MINUTE_TTL_HOURS of minutes and ANALYTICS_HOUR_TTL_DAYS of hours are
 * added back from the rollups — each bucket once, also on top of what was counted since the loss
 * (see the restore script in model/redis-buckets.ts); HyperLogLogs are merged (a union: exact and
 * idempotent); each hour's sorted sets get the top ROLLUP_TOP products the rollup kept (so top
 * lists and trending are approximate for restored hours, beyond their top 100). No flush runs
 * while the marker is gone: a rollup is never overwritten by a bucket that lost its past.
 * De-duplication keys are not restored: a replay, within the de-duplication window, of facts
 * counted before the loss would count again.
 */
export const FLUSH_LOCK = 'flush';
export const RESTORE_LOCK = 'restore';
/** the most dirty minutes one flush takes */
export const MAX_DIRTY_PER_FLUSH = 5000;

export async function flushOnce(deps: AnalyticsDeps, lockTtlMs: number, now = deps.now()): Promise<{ minutes: number; hours: number } | null> {
  // Redis lost its data and is not restored yet: its buckets must not replace the rollups
  if (!(await deps.buckets.hasMarker())) return null;
  return deps.buckets.withLock(FLUSH_LOCK, lockTtlMs, async () => {
    const dirty = await deps.buckets.takeDirty(MAX_DIRTY_PER_FLUSH);
    const current = epochMinute(now);
    const minutes = [...new Set([...dirty, current, current - 1])].sort((a, b) => a - b);
    const hours = [...new Set([...minutes.map((m) => Math.floor(m / 60)), epochHour(now), epochHour(now) - 1])].sort((a, b) => a - b);
    try {
      const [ms, hs] = await Promise.all([deps.buckets.snapshot('MINUTE', minutes), deps.buckets.snapshot('HOUR', hours)]);
      await deps.store.saveRollups('MINUTE', ms);
      await deps.store.saveRollups('HOUR', hs);
      return { minutes: ms.length, hours: hs.length };
    } catch (err) {
      await deps.buckets.markDirty(dirty).catch(() => undefined);
      throw err;
    }
  });
}

/** The buckets Redis is meant to hold at `now`, oldest first. */
function retained(deps: AnalyticsDeps, g: Granularity, now: number): number[] {
  const size = g === 'MINUTE' ? MINUTE_MS : HOUR_MS;
  const ttlMs = (g === 'MINUTE' ? deps.retention.minuteSeconds : deps.retention.hourSeconds) * 1000;
  const out: number[] = [];
  for (let b = Math.floor((now - ttlMs) / size) + 1; b <= Math.floor(now / size); b++) out.push(b);
  return out;
}

/**
 * Writes the rollups back into Redis when it lost them: when `force`, or when Redis holds no
 * minute of the retention window. Returns how many buckets were restored (0: nothing to do), or
 * null when another instance is restoring right now.
 */
export async function restoreIfLost(deps: AnalyticsDeps, opts: { force?: boolean; now?: number } = {}): Promise<number | null> {
  const now = opts.now ?? deps.now();
  const minutes = retained(deps, 'MINUTE', now);
  if (!opts.force && (await deps.buckets.holdsAny('MINUTE', minutes))) return 0;
  const restored = await deps.buckets.withLock(RESTORE_LOCK, 120_000, async () => {
    let n = 0;
    for (const g of ['MINUTE', 'HOUR'] as const) {
      const buckets = g === 'MINUTE' ? minutes : retained(deps, g, now);
      const first = buckets[0]!;
      const last = buckets[buckets.length - 1]!;
      const size = g === 'MINUTE' ? MINUTE_MS : HOUR_MS;
      const rows = (await deps.store.rollups(g, daysOverlapping(first * size, (last + 1) * size), { hll: true, top: true })).filter((r) => r._id >= first && r._id <= last);
      n += await deps.buckets.restore(g, rows, now);
    }
    return n;
  });
  if (restored) deps.logger.warn({ buckets: restored }, 'Redis had lost analytics buckets: restored from the rollups');
  return restored;
}

/**
 * Restores when needed, then marks this Redis as restored (its marker vanishes with its data).
 * Null when another instance is restoring (it sets the marker when done).
 */
export async function ensureRestored(deps: AnalyticsDeps): Promise<number | null> {
  const marked = await deps.buckets.hasMarker();
  const n = await restoreIfLost(deps, { force: !marked });
  if (n !== null && !marked) await deps.buckets.setMarker();
  return n;
}

/**
 * The flusher's loop: flush every `everyMs`; restore when Redis lost its marker; prune expired
 * batch records and minute rollups once an hour.
 */
export function startFlusher(deps: AnalyticsDeps, everyMs: number): { stop(): Promise<void>; tick(): Promise<void> } {
  const lockTtlMs = Math.max(30_000, everyMs * 3);
  let lastPrune = 0;
  const tick = async () => {
    if (!(await deps.buckets.hasMarker())) await ensureRestored(deps);
    await flushOnce(deps, lockTtlMs);
    if (deps.now() - lastPrune >= HOUR_MS) {
      lastPrune = deps.now();
      const pruned = await deps.store.prune(deps.now());
      if (pruned) deps.logger.info({ pruned }, 'expired analytics records pruned');
    }
  };
  const flusher = startPeriodic({ everyMs, run: tick, logger: deps.logger, what: 'analytics flush' });
  return {
    tick: flusher.runNow,
    async stop() {
      await flusher.stop();
      // the last counts of this instance reach the rollups before it goes
      await flushOnce(deps, lockTtlMs).catch((err) => deps.logger.warn({ err }, 'final analytics flush failed'));
    },
  };
}
