import type { AnalyticsDeps } from './deps.ts';
import type { Fact } from './facts.ts';

/**
 * Counts one message's facts (one Redis script: each fact's key is set first, its increments
 * follow only if the key was new), then moves the Prometheus counters of the new ones only.
 * A redelivered or replayed message, or a handler re-run after a crash, counts nothing twice.
 * Returns how many facts were new.
 */
export async function countFacts(deps: Pick<AnalyticsDeps, 'buckets' | 'metrics'>, facts: readonly Fact[], message?: { sessionId: string; seq: number }): Promise<number> {
  if (facts.length === 0) return 0;
  const fresh = await deps.buckets.count(facts, message);
  let n = 0;
  facts.forEach((f, i) => {
    if (fresh[i]) {
      n++;
      deps.metrics.counted(f.metric);
    } else deps.metrics.duplicate(f.metric);
  });
  return n;
}
