import type { Logger } from './logger.ts';

/** Background work a service repeats on a timer (sweeps, repairs, flushes). */
export interface Periodic<T> {
  /** runs it now, after the run in progress if there is one; rejects with its error */
  runNow(): Promise<T>;
  /** stops the timer and waits for the run in progress */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `everyMs`, never two at once: a tick that finds a run in progress is skipped,
 * so slow runs never pile up. A failed run is logged ("<what> failed; the next run retries") and
 * the next tick tries again. The timer does not keep the process alive.
 */
export function startPeriodic<T>(opts: { everyMs: number; run: () => Promise<T>; logger: Logger; what: string }): Periodic<T> {
  let running: Promise<T> | null = null;
  let stopped = false;
  const runNow = (): Promise<T> => {
    const previous = running;
    const current: Promise<T> = (previous ? previous.then(() => undefined, () => undefined) : Promise.resolve()).then(opts.run).finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    runNow().catch((err) => opts.logger.warn({ err }, `${opts.what} failed; the next run retries`));
  }, opts.everyMs);
  timer.unref();
  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
