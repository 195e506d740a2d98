import { RetryLaterError, type InventoryDeps } from './deps.ts';
import { SETTLED, TRANSITIONAL } from './reservation.ts';
import { applyTrigger } from './run-reservation.ts';

export interface SweepReport {
  expired: number;
  resumed: number;
  forgotten: number;
}

const BATCH = 2000;

/**
 * The reservation sweep (no TTL indexes: FerretDB has none). Over the watch list of open
 * reservations it releases HELD reservations past `expiresAt` (stock-released EXPIRED), finishes
 * transitions whose worker died (lease run out), and forgets settled ones. Safe to run on every
 * instance at once: each step is a versioned claim on the reservation.
 */
export async function sweepReservations(deps: InventoryDeps): Promise<SweepReport> {
  const report: SweepReport = { expired: 0, resumed: 0, forgotten: 0 };
  const watched = await deps.store.watched(BATCH);
  if (watched.length === 0) return report;
  const reservations = new Map((await deps.store.reservations(watched.map((w) => w._id))).map((r) => [r._id, r]));
  const now = deps.clock().getTime();
  // an entry is written just before its claim: give a fresh one the time a claim can take
  const settledFor = (since: Date) => now - since.getTime() > deps.leaseMs;

  for (const w of watched) {
    const r = reservations.get(w._id);
    try {
      if (!r || SETTLED.has(r.status)) {
        if (settledFor(w.since)) {
          await deps.store.unwatch(w._id, w.since);
          report.forgotten += 1;
        }
      } else if (r.status === 'HELD' && r.expiresAt && r.expiresAt.getTime() <= now) {
        const out = await applyTrigger(deps, r.orderId, { kind: 'expire' }, { correlationId: r.correlationId });
        if (out.kind === 'settled') report.expired += 1;
      } else if (TRANSITIONAL.has(r.status) && r.lease && r.lease.until.getTime() <= now) {
        const out = await applyTrigger(deps, r.orderId, { kind: 'resume' }, { correlationId: r.correlationId });
        if (out.kind === 'settled') report.resumed += 1;
      }
    } catch (err) {
      // another worker is on it, or a dependency is down: the next sweep looks again
      const level = err instanceof RetryLaterError ? 'debug' : 'warn';
      deps.logger[level]({ err, reservationId: w._id }, 'reservation sweep step skipped');
    }
  }
  if (report.expired || report.resumed) deps.logger.info(report, 'reservation sweep');
  return report;
}
