import type { Versioned } from '@commerce/events';
import { InteractionsRecorded } from '@commerce/events/contracts';
import { newId, type UserError } from '@commerce/platform';
import { epochDay } from './buckets.ts';
import { eventMeta, type AnalyticsDeps, type CommandMeta } from './deps.ts';
import { groupBySession, validateInteractions, type InteractionInput } from './validation.ts';

/**
 * The record of one committed batch (`interaction_batches`, an aggregate of one version): who
 * and how much, not what (the interactions travel in its event). Kept per session and customer
 * so that forgetting can delete them; pruned by `day` after ANALYTICS_BATCH_RETENTION_DAYS.
 */
export const BATCHES_COLLECTION = 'interaction_batches';

export interface InteractionBatch extends Versioned {
  _id: string;
  version: 1;
  sessionId: string;
  customerId: string | null;
  count: number;
  createdAt: Date;
  /** UTC day of createdAt: pruning deletes a day at a time, by equality */
  day: number;
}

export interface TrackResult {
  accepted: number;
  userErrors: UserError[];
}

/**
 * Ingest: validates each event (invalid ones are userErrors and not recorded), then commits the
 * valid ones as one `interactions-recorded` per session — one outbox insert per session and
 * call, whatever the number of events. A signed-in caller's sessions are linked to them first.
 */
export async function trackEvents(deps: AnalyticsDeps, customerId: string | null, events: readonly InteractionInput[], meta: CommandMeta): Promise<TrackResult> {
  const now = new Date(deps.now());
  const { valid, errors } = validateInteractions(events, now);
  if (valid.length === 0) return { accepted: 0, userErrors: errors };
  await Promise.all(
    [...groupBySession(valid)].map(async ([sessionId, interactions]) => {
      if (customerId) await deps.store.linkSession(sessionId, customerId, now);
      const batchId = newId('ibat');
      const batch: InteractionBatch = { _id: batchId, version: 1, sessionId, customerId, count: interactions.length, createdAt: now, day: epochDay(now) };
      const event = InteractionsRecorded.create(
        {
          batchId,
          sessionId,
          customerId,
          interactions: interactions.map(({ sessionId: _s, ...it }) => it),
        },
        eventMeta(batchId, meta),
      );
      const r = await deps.committer.commit(BATCHES_COLLECTION, batch, [event]);
      if (!r.ok) throw new Error(`committing ${batchId} failed: ${r.reason}`);
    }),
  );
  return { accepted: valid.length, userErrors: errors };
}
