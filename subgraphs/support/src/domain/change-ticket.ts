import type { EventEnvelope } from '@commerce/events';
import { TicketContendedError, type SupportDeps } from './deps.ts';
import { TICKETS_COLLECTION, type Refusal, type TicketRecord } from './ticket.ts';

export type TicketChange<R> = { next: TicketRecord; events: EventEnvelope[]; value: R } | { value: R } | Refusal | { missing: true };

export type TicketOutcome<R> = { ok: true; ticket: TicketRecord; value: R; changed: boolean } | { ok: false; refused: Refusal['refused'] } | { ok: false; missing: true };

/**
 * One version commit on a ticket: `decide` sees the current state and answers the change (with
 * its events), no change, a refusal or "missing". A lost race re-runs `decide` on the winner's
 * state, so every rule is applied to the ticket as it is, never as it was read.
 */
export async function changeTicket<R>(deps: SupportDeps, ticketId: string, decide: (t: TicketRecord | null) => TicketChange<R>): Promise<TicketOutcome<R>> {
  let last: TicketChange<R> | null = null;
  let seen: TicketRecord | null = null;
  const r = await deps.committer.update<TicketRecord, TicketChange<R>>(TICKETS_COLLECTION, ticketId, (cur) => {
    seen = cur;
    last = decide(cur);
    if ('next' in last) return { next: last.next, events: last.events };
    return { done: last };
  });
  if (r.status === 'contended') throw new TicketContendedError(ticketId);
  const d = last as unknown as TicketChange<R>;
  if ('refused' in d) return { ok: false, refused: d.refused };
  if ('missing' in d) return { ok: false, missing: true };
  if (r.status === 'committed') return { ok: true, ticket: r.state, value: d.value, changed: true };
  return { ok: true, ticket: seen!, value: d.value, changed: false };
}
