/**
 * Time buckets (UTC, epoch-aligned) and the windows the queries read. Pure.
 *
 * A minute bucket is `floor(ms / 60 000)`, an hour bucket `floor(ms / 3 600 000)`; a window
 * `[from, to)` covers every bucket that overlaps it.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Granularity = 'MINUTE' | 'HOUR';

/** The most points one series answers. */
export const MAX_SERIES_POINTS = 1440;
/** The longest window of a funnel or a top list (days). */
export const MAX_WINDOW_DAYS = 92;

export const bucketMs = (g: Granularity): number => (g === 'MINUTE' ? MINUTE_MS : HOUR_MS);
export const epochMinute = (at: number | Date): number => Math.floor(toMs(at) / MINUTE_MS);
export const epochHour = (at: number | Date): number => Math.floor(toMs(at) / HOUR_MS);
export const epochDay = (at: number | Date): number => Math.floor(toMs(at) / DAY_MS);
export const bucketOf = (g: Granularity, at: number | Date): number => Math.floor(toMs(at) / bucketMs(g));
/** the start of a bucket, in ms */
export const bucketStart = (g: Granularity, bucket: number): number => bucket * bucketMs(g);
/** the UTC day a bucket starts in (rollups are read by day, an equality) */
export const dayOfBucket = (g: Granularity, bucket: number): number => epochDay(bucketStart(g, bucket));

function toMs(at: number | Date): number {
  return typeof at === 'number' ? at : at.getTime();
}

/** The buckets overlapping `[from, to)`, oldest first. */
export function bucketsOverlapping(g: Granularity, from: number, to: number): number[] {
  const size = bucketMs(g);
  const first = Math.floor(from / size);
  const end = Math.ceil(to / size);
  const out: number[] = [];
  for (let b = first; b < end; b++) out.push(b);
  return out;
}

/** How many buckets `[from, to)` overlaps, without listing them. */
export function bucketCount(g: Granularity, from: number, to: number): number {
  const size = bucketMs(g);
  return Math.max(0, Math.ceil(to / size) - Math.floor(from / size));
}

export type WindowCheck = { ok: true } | { ok: false; message: string; field: 'to' | 'from' };

/** A series window: `to` after `from`, at most MAX_SERIES_POINTS buckets. */
export function checkSeriesWindow(g: Granularity, from: number, to: number): WindowCheck {
  if (!(to > from)) return { ok: false, message: 'to must be after from', field: 'to' };
  const n = bucketCount(g, from, to);
  if (n > MAX_SERIES_POINTS) return { ok: false, message: `the window has ${n} ${g === 'MINUTE' ? 'minutes' : 'hours'}; at most ${MAX_SERIES_POINTS} points per series`, field: 'to' };
  return { ok: true };
}

/** A funnel or top-list window: `to` after `from`, at most MAX_WINDOW_DAYS days. */
export function checkWindow(from: number, to: number): WindowCheck {
  if (!(to > from)) return { ok: false, message: 'to must be after from', field: 'to' };
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) return { ok: false, message: `at most ${MAX_WINDOW_DAYS} days`, field: 'from' };
  return { ok: true };
}

/**
 * Which per-minute and per-hour HyperLogLogs make up `[from, to)`: whole hours by their hour
 * sketch, the partial hours at the edges by their minutes — or, where those minutes are older
 * than `minuteHorizon` (the first minute Redis still keeps), by the whole hour (the edge is then
 * widened to the hour).
 */
export function uniqueSources(from: number, to: number, minuteHorizon: number): { minutes: number[]; hours: number[] } {
  const m0 = Math.floor(from / MINUTE_MS);
  const m1 = Math.ceil(to / MINUTE_MS); // exclusive
  const minutes: number[] = [];
  const hours: number[] = [];
  if (m1 <= m0) return { minutes, hours };
  for (let h = Math.floor(m0 / 60); h <= Math.floor((m1 - 1) / 60); h++) {
    const start = Math.max(m0, h * 60);
    const end = Math.min(m1, (h + 1) * 60);
    if (end - start === 60 || start < minuteHorizon) hours.push(h);
    else for (let m = start; m < end; m++) minutes.push(m);
  }
  return { minutes, hours };
}

/**
 * The hours trending compares at `now`: the last 60 minutes are the current hour plus the part
 * of the previous hour still inside them (its count weighted by that share, a sliding window);
 * the baseline is the 24 hours before those two.
 */
export function trendingHours(now: number): { current: number; previous: number; previousWeight: number; baseline: number[] } {
  const current = epochHour(now);
  const elapsed = now - current * HOUR_MS;
  const baseline: number[] = [];
  for (let h = current - 25; h <= current - 2; h++) baseline.push(h);
  return { current, previous: current - 1, previousWeight: (HOUR_MS - elapsed) / HOUR_MS, baseline };
}

/** The UTC days `[from, to)` touches (rollups are read a day at a time). */
export function daysOverlapping(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = epochDay(from); d <= epochDay(Math.max(from, to - 1)); d++) out.push(d);
  return out;
}
