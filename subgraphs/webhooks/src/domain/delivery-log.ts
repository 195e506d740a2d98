import { fail, ok, userError, type Result } from '@commerce/platform';
import { dayOf, daysBetween, newestFirst, type DeliveryRecord, type DeliveryStatus } from './delivery.ts';
import type { WebhooksDeps } from './deps.ts';
import type { SubscriptionRecord } from './subscription.ts';

/** Position in the log (newest event first): a page continues after it. */
export interface LogCursor {
  /** occurredAt, ms */
  t: number;
  id: string;
}

export function isLogCursor(v: unknown): v is LogCursor {
  const c = v as LogCursor;
  return !!c && typeof c === 'object' && typeof c.t === 'number' && Number.isFinite(c.t) && typeof c.id === 'string' && c.id.length <= 100;
}

/**
 * A page of a subscription's delivery log, newest event first. Read one UTC day at a time by
 * equality on `subDay` (the cursor's day first), back to the retention horizon: a page costs one
 * lookup per day it spans, never a scan of the log.
 */
export async function deliveryLog(deps: WebhooksDeps, sub: SubscriptionRecord, opts: { first: number; after?: LogCursor; status?: DeliveryStatus }): Promise<{ rows: DeliveryRecord[]; hasNextPage: boolean }> {
  const now = deps.now();
  const horizon = new Date(Math.max(now.getTime() - deps.retentionDays * 86_400_000, sub.createdAt.getTime() - 86_400_000));
  const newest = opts.after ? new Date(Math.min(opts.after.t, now.getTime() + 86_400_000)) : new Date(now.getTime() + 86_400_000);
  const rows: DeliveryRecord[] = [];
  for (const day of daysBetween(horizon, newest)) {
    const found = (await deps.deliveries.byDay(sub._id, day))
      .filter((d) => !opts.status || d.status === opts.status)
      .filter((d) => !opts.after || newestFirst(d, { occurredAt: new Date(opts.after.t), _id: opts.after.id }) > 0)
      .sort(newestFirst);
    rows.push(...found);
    if (rows.length > opts.first) break;
  }
  return { rows: rows.slice(0, opts.first), hasNextPage: rows.length > opts.first };
}

/** Most deliveries one replay re-sends (a larger range: replay it in parts). */
export const MAX_REPLAY = 10_000;

/**
 * Re-sends every delivery of a subscription whose event happened in [from, to): each with its
 * own delivery id (the same `webhook-id` as before), as a new generation with a fresh retry
 * window; deliveries that succeeded are sent again too (receivers de-duplicate by id). The
 * subscription must be active.
 */
export async function replayDeliveries(deps: WebhooksDeps, sub: SubscriptionRecord, from: Date, to: Date): Promise<Result<{ replayed: number }>> {
  const now = deps.now();
  if (!(from < to)) return fail(userError('INVALID_RANGE', 'from must be before to', ['from']));
  if (now.getTime() - from.getTime() > deps.retentionDays * 86_400_000) return fail(userError('INVALID_RANGE', `the log keeps ${deps.retentionDays} days: from is older`, ['from']));
  if (sub.status !== 'ACTIVE') return fail(userError('SUBSCRIPTION_DISABLED', 'enable the subscription before replaying to it', ['subscriptionId']));
  const last = new Date(Math.min(to.getTime() - 1, now.getTime()));
  const wanted: DeliveryRecord[] = [];
  for (const day of daysBetween(from, last).reverse()) {
    for (const d of await deps.deliveries.byDay(sub._id, day)) if (d.occurredAt >= from && d.occurredAt < to) wanted.push(d);
    if (wanted.length > MAX_REPLAY) return fail(userError('INVALID_RANGE', `more than ${MAX_REPLAY} deliveries in this range: replay a shorter one`, ['to']));
  }
  wanted.sort((a, b) => -newestFirst(a, b)); // oldest first
  for (const d of wanted) {
    const generation = d.generation + 1;
    await deps.deliveries.update(d._id, { status: 'PENDING', generation, windowStartedAt: null, nextAttemptAt: now, deliveredAt: null, updatedAt: now });
    await deps.queue.enqueue({ deliveryId: d._id, subscriptionId: sub._id, generation });
  }
  deps.logger.info({ subscriptionId: sub._id, from, to, replayed: wanted.length }, 'webhook deliveries replayed');
  return ok({ replayed: wanted.length });
}

/** Deletes the log's days past the retention (a week of them per run: equality deletes only). */
export async function pruneLog(deps: WebhooksDeps): Promise<number> {
  const now = deps.now().getTime();
  let removed = 0;
  for (let i = 1; i <= 7; i++) removed += await deps.deliveries.pruneDay(dayOf(new Date(now - (deps.retentionDays + i) * 86_400_000)));
  return removed;
}
