import { startPeriodic } from '@commerce/platform';
import type { InventoryDeps } from '../domain/deps.ts';
import { sweepReservations, type SweepReport } from '../domain/sweep-reservations.ts';

export interface RunningSweep {
  /** runs one sweep now (also what the timer does) */
  runOnce(): Promise<SweepReport>;
  stop(): Promise<void>;
}

/** Runs the reservation sweep every `intervalMs` (RESERVATION_SWEEP_MS); never two at once. */
export function startReservationSweep(deps: InventoryDeps, intervalMs: number): RunningSweep {
  const sweep = startPeriodic({ everyMs: intervalMs, run: () => sweepReservations(deps), logger: deps.logger, what: 'reservation sweep' });
  return { runOnce: sweep.runNow, stop: sweep.stop };
}
