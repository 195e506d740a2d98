import { TicketSlaBreached } from '@commerce/events/contracts';
import { startPeriodic, type Periodic } from '@commerce/platform';
import { changeTicket } from './change-ticket.ts';
import { eventMeta, type SupportDeps } from './deps.ts';
import { evolve, sweepAction } from './ticket.ts';

/**
 * Support's sweep, run every few seconds by each instance: tickets not answered by their SLA
 * due time are marked breached (with an event and a metric), tickets resolved more than 7 days
 * ago are closed. It reads only the tickets that wait for one of these (`watch`, an equality
 * read), and each change is a version commit that decides again on fresh state, so instances
 * sweeping at once mark a ticket once.
 */
export async function sweepTickets(deps: SupportDeps, now = new Date()): Promise<{ breached: number; closed: number }> {
  let breached = 0;
  let closed = 0;
  const candidates = [...(await deps.store.watched('SLA')), ...(await deps.store.watched('CLOSE'))].filter((t) => sweepAction(t, now));
  for (const t of candidates) {
    const r = await changeTicket(deps, t._id, (cur) => {
      const action = cur && sweepAction(cur, now);
      if (!cur || !action) return { value: null };
      if (action === 'breach') {
        const event = TicketSlaBreached.create({ ticketId: cur._id, category: cur.category, priority: cur.priority, slaDueAt: cur.slaDueAt.toISOString(), detectedAt: now.toISOString() }, eventMeta(cur._id, {}));
        return { next: evolve(cur, { slaBreachedAt: now, watch: null }, now), events: [event], value: action };
      }
      return { next: evolve(cur, { status: 'CLOSED', closedAt: now, watch: null }, now), events: [], value: action };
    });
    if (!r.ok || !r.changed) continue;
    if (r.value === 'breach') {
      breached++;
      deps.metrics.slaBreached(r.ticket.priority, r.ticket.category);
      deps.logger.warn({ ticketId: r.ticket._id, priority: r.ticket.priority, slaDueAt: r.ticket.slaDueAt }, 'ticket SLA breached');
    } else closed++;
  }
  return { breached, closed };
}

export function startSweep(deps: SupportDeps, everyMs: number): Periodic<{ breached: number; closed: number }> {
  return startPeriodic({ everyMs, run: () => sweepTickets(deps), logger: deps.logger, what: 'support sweep' });
}
