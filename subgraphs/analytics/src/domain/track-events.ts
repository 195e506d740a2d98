import { InteractionsRecorded } from '@commerce/events/contracts';
import { newId, type UserError } from '@commerce/platform';
import { eventMeta, type AnalyticsDeps, type CommandMeta } from './deps.ts';
import { groupBySession, validateInteractions, type InteractionInput } from './validation.ts';

export interface TrackResult {
  accepted: number;
  userErrors: UserError[];
}

/**
 * Ingest: validates each event (invalid ones are userErrors and not recorded), then emits the
 * valid ones as one `interactions-recorded` per session (its aggregate: forgetting finds it by
 * the session) — whatever the number of events. Interactions change no document here, so the
 * event goes straight to JetStream and its ack is the commit; only when the broker cannot take
 * it does it wait in the outbox (`emitEvents`). A signed-in caller's sessions are linked to them first.
 */
export async function trackEvents(deps: AnalyticsDeps, customerId: string | null, events: readonly InteractionInput[], meta: CommandMeta): Promise<TrackResult> {
  const now = new Date(deps.now());
  const { valid, errors } = validateInteractions(events, now);
  if (valid.length === 0) return { accepted: 0, userErrors: errors };
  await Promise.all(
    [...groupBySession(valid)].map(async ([sessionId, interactions]) => {
      if (customerId) await deps.store.linkSession(sessionId, customerId, now);
      const event = InteractionsRecorded.create(
        {
          batchId: newId('ibat'),
          sessionId,
          customerId,
          interactions: interactions.map(({ sessionId: _s, ...it }) => it),
        },
        eventMeta(sessionId, meta),
      );
      await deps.emit([event]);
    }),
  );
  return { accepted: valid.length, userErrors: errors };
}
