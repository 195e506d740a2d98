import type { InventoryDeps } from '../domain/deps.ts';
import { sweepReservations, type SweepReport } from '../domain/sweep-reservations.ts';

export interface RunningSweep {
  /** runs one sweep now (also what the timer does) */
  runOnce(): Promise<SweepReport>;
  stop(): Promise<void>;
}

/** Runs the reservation sweep every `intervalMs` (RESERVATION_SWEEP_MS); never two at once. */
export function startReservationSweep(deps: InventoryDeps, intervalMs: number): RunningSweep {
  let running: Promise<SweepReport> | null = null;
  let stopped = false;
  const runOnce = (): Promise<SweepReport> => {
    if (!running) {
      running = sweepReservations(deps).finally(() => {
        running = null;
      });
    }
    return running;
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((err) => deps.logger.warn({ err }, 'reservation sweep failed; will retry'));
  }, intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
