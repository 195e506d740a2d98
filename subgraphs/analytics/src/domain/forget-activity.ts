import type { Versioned } from '@commerce/events';
import { ActivityForgotten } from '@commerce/events/contracts';
import { eventMeta, type AnalyticsDeps, type CommandMeta } from './deps.ts';

/**
 * One aggregate per customer who asked to be forgotten (`_id` = customer id): each request that
 * forgets something is a version commit that publishes `activity-forgotten`. It keeps no
 * behaviour, only when and how many sessions.
 */
export const FORGET_COLLECTION = 'forget_requests';

/** A repeat within this window that finds nothing left to delete publishes nothing (a retried call). */
export const REPEAT_WINDOW_MS = 60_000;

export interface ForgetRequest extends Versioned {
  _id: string;
  version: number;
  lastForgottenAt: Date;
  sessions: number;
}

export class ForgetContendedError extends Error {
  override name = 'ForgetContendedError';
}

/**
 * Deletes what analytics keeps per customer (session links, batch records — also the anonymous
 * batches of their linked sessions), then publishes `activity-forgotten` with those sessions so
 * every other copy (recommendations) is erased. Idempotent: a retry finds nothing and, within
 * REPEAT_WINDOW_MS of the last request, publishes nothing more; a later request publishes again
 * (new activity may have happened elsewhere). Aggregate counts stay: they hold no identity.
 */
export async function forgetActivity(deps: AnalyticsDeps, customerId: string, meta: CommandMeta): Promise<{ published: boolean; sessionIds: string[] }> {
  const sessionIds = await deps.store.linkedSessions(customerId);
  const deleted = await deps.store.forgetCustomer(customerId, sessionIds);
  const now = new Date(deps.now());
  const r = await deps.committer.update<ForgetRequest, null>(FORGET_COLLECTION, customerId, (cur) => {
    const nothingNew = sessionIds.length === 0 && deleted.batches === 0;
    if (cur && nothingNew && now.getTime() - new Date(cur.lastForgottenAt).getTime() < REPEAT_WINDOW_MS) return { done: null };
    const next: ForgetRequest = { _id: customerId, version: (cur?.version ?? 0) + 1, lastForgottenAt: now, sessions: sessionIds.length };
    const event = ActivityForgotten.create({ customerId, sessionIds, forgottenAt: now.toISOString() }, eventMeta(customerId, meta));
    return { next, events: [event] };
  });
  if (r.status === 'contended') throw new ForgetContendedError(`forgetting ${customerId}: too much contention; retry`);
  const published = r.status === 'committed';
  deps.logger.info({ customerId, sessions: sessionIds.length, batches: deleted.batches, published }, 'customer activity forgotten');
  return { published, sessionIds };
}
