/**
 * When a failed delivery is tried again: exponential backoff with full jitter — attempt n waits a
 * uniformly random time up to min(maxDelay, base × 2^(n−1)) (never less than `minDelayMs`) — for as
 * long as the retry window (24 h by default) since the delivery's first attempt lasts.
 */
export interface RetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  /** how long after its first attempt a delivery is still retried */
  windowMs: number;
}

export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  const floor = Math.min(1000, policy.baseMs / 2);
  return Math.max(floor, Math.round(random() * ceiling));
}

/** The next attempt's time, or null when the window would be over by then (the delivery FAILED). */
export function nextAttemptAt(policy: RetryPolicy, attempt: number, windowStartedAt: Date, now: Date, random?: () => number): Date | null {
  const at = new Date(now.getTime() + retryDelayMs(policy, attempt, random));
  return at.getTime() - windowStartedAt.getTime() > policy.windowMs ? null : at;
}

/**
 * Auto-disable: an endpoint whose attempts have all failed for `afterMs` (no success since the
 * first failure of the streak) and at least `minFailures` times in a row is disabled.
 */
export interface DisablePolicy {
  minFailures: number;
  afterMs: number;
}

export interface FailureStreak {
  failures: number;
  since: Date;
}

export function shouldDisable(policy: DisablePolicy, streak: FailureStreak, now: Date): boolean {
  return streak.failures >= policy.minFailures && now.getTime() - streak.since.getTime() >= policy.afterMs;
}
