import { StockLevelChanged } from '@commerce/events/contracts';
import type { EventEnvelope } from '@commerce/events';
import { RetryLaterError, type Cause, type InventoryDeps } from './deps.ts';
import { availableOf, stockLevelId, type StockChange, type StockLevelRecord } from './stock-level.ts';

/** The stock-level-changed event of a committed stock level version. */
export function stockLevelChanged(next: StockLevelRecord, cause: Cause): EventEnvelope {
  return StockLevelChanged.create(
    { variantId: next.variantId, locationId: next.locationId, onHand: next.onHand, reserved: next.reserved, available: availableOf(next), version: next.version },
    {
      aggregateId: next._id,
      ...(cause.correlationId ? { correlationId: cause.correlationId } : {}),
      causationId: cause.eventId ?? null,
      ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
    },
  );
}

const ROUNDS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies one pure stock rule to one stock level through `committer.update`: decided on the newest
 * committed version, committed as version n+1 together with its stock-level-changed event (one
 * outbox entry), retried on a lost race. `guard` runs right before each commit attempt (the
 * reservation lease check): it throws to stop a worker that no longer owns its transition.
 */
export async function applyStockChange(
  deps: InventoryDeps,
  variantId: string,
  locationId: string,
  rule: (cur: StockLevelRecord | null, now: Date) => StockChange,
  cause: Cause,
  guard?: () => void,
): Promise<StockChange> {
  const id = stockLevelId(variantId, locationId);
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await deps.committer.update<StockLevelRecord, StockChange>(
      'stock_levels',
      id,
      (cur) => {
        guard?.();
        const change = rule(cur, deps.clock());
        if (change.kind !== 'changed') return { done: change };
        return { next: change.next, events: [stockLevelChanged(change.next, cause)] };
      },
      { maxAttempts: 60 },
    );
    if (r.status === 'committed') return { kind: 'changed', next: r.state };
    if (r.status === 'done') {
      // a rejection decided on a document a newer commit had not reached yet: decide again
      if (r.value.kind === 'rejected' && (await deps.store.hasVersionAfter('stock_levels', id, r.value.level?.version ?? 0))) {
        await sleep(10 * round); // its document write is a moment behind its claim
        continue;
      }
      return r.value;
    }
  }
  throw new RetryLaterError(`stock level ${id} is too contended right now`);
}
