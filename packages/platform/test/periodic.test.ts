import { describe, expect, it } from 'vitest';
import { createLogger, startPeriodic } from '@commerce/platform';

const logger = createLogger('test', 'silent');
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPeriodic', () => {
  it('never runs twice at once: ticks during a slow run are skipped, not queued', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const p = startPeriodic({ everyMs: 5, logger, what: 'slow work', run: async () => {
      active++;
      most = Math.max(most, active);
      runs++;
      await later(60);
      active--;
    } });
    await later(200);
    await p.stop();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThanOrEqual(4); // 200 ms of 60 ms runs, not one per 5 ms tick
  });

  it('runNow runs again after the run in progress and rejects with its error; stop waits for the run', async () => {
    let n = 0;
    let fail = false;
    const p = startPeriodic({ everyMs: 60_000, logger, what: 'work', run: async () => {
      await later(20);
      if (fail) throw new Error('boom');
      return ++n;
    } });
    const first = p.runNow();
    const second = p.runNow(); // while the first is in progress: a fresh run after it
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    fail = true;
    await expect(p.runNow()).rejects.toThrow('boom');
    fail = false;
    const last = p.runNow();
    await p.stop();
    expect(await last).toBe(3); // finished before stop returned
  });
});
