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
 * Erases the customer's behaviour where analytics put it: the interaction messages of their
 * sessions in the event stream (also those from before they signed in), the outbox entries of
 * those sessions, and the session links; then publishes `activity-forgotten` with those sessions
 * so every other copy (recommendations) is erased. Idempotent: a retry finds nothing and, within
 * REPEAT_WINDOW_MS of the last request, publishes nothing more; a later request publishes again
 * (new activity may have happened elsewhere). Aggregate counts stay: they hold no identity.
 */
export async function forgetActivity(deps: AnalyticsDeps, customerId: string, meta: CommandMeta): Promise<{ published: boolean; sessionIds: string[] }> {
  const sessionIds = await deps.store.linkedSessions(customerId);
  // their sessions' interaction messages leave the stream first (a retry finds them again: the
  // sequences are dropped only once the erase went through), then the records of them here
  const erased = await deps.eraseMessages(await deps.buckets.messagesOf(sessionIds));
  await deps.buckets.forgetMessages(sessionIds);
  const deleted = await deps.store.forgetCustomer(customerId, sessionIds);
  const now = new Date(deps.now());
  const r = await deps.committer.update<ForgetRequest, null>(FORGET_COLLECTION, customerId, (cur) => {
    const nothingNew = sessionIds.length === 0 && deleted.entries === 0 && erased === 0;
    if (cur && nothingNew && now.getTime() - new Date(cur.lastForgottenAt).getTime() < REPEAT_WINDOW_MS) return { done: null };
    const next: ForgetRequest = { _id: customerId, version: (cur?.version ?? 0) + 1, lastForgottenAt: now, sessions: sessionIds.length };
    const event = ActivityForgotten.create({ customerId, sessionIds, forgottenAt: now.toISOString() }, eventMeta(customerId, meta));
    return { next, events: [event] };
  });
  if (r.status === 'contended') throw new ForgetContendedError(`forgetting ${customerId}: too much contention; retry`);
  const published = r.status === 'committed';
  deps.logger.info({ customerId, sessions: sessionIds.length, entries: deleted.entries, messages: erased, published }, 'customer activity forgotten');
  return { published, sessionIds };
}
