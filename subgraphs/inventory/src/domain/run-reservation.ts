import { randomUUID } from 'node:crypto';
import { StockCommitted, StockReleased, StockReservationFailed, StockReserved } from '@commerce/events/contracts';
import type { EventEnvelope } from '@commerce/events';
import { LeaseLostError, RetryLaterError, type Cause, type InventoryDeps } from './deps.ts';
import {
  completePhase,
  planFor,
  reservationIdFor,
  SETTLED,
  TRANSITIONAL,
  type Emission,
  type PhaseResult,
  type Plan,
  type ReservationRecord,
  type Trigger,
} from './reservation.ts';
import { commitSale, hold, release, restock, type StockChange, type StockLevelRecord } from './stock-level.ts';
import { applyStockChange } from './stock-ops.ts';

const COLLECTION = 'reservations';

export type TriggerOutcome =
  /** the trigger changed nothing (a duplicate, or nothing to do); `unexpected` deserves a warning */
  | { kind: 'noop'; reason: string; unexpected: boolean; reservation: ReservationRecord | null }
  /** the trigger ran to a stable state */
  | { kind: 'settled'; reservation: ReservationRecord };

/** The saga event a committed reservation step publishes (same outbox entry as the step). */
export function sagaEvents(emit: Emission, r: ReservationRecord, cause: Cause): EventEnvelope[] {
  const meta = {
    aggregateId: r._id,
    correlationId: r.correlationId,
    causationId: cause.eventId ?? null,
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
  };
  switch (emit) {
    case 'reserved':
      return [
        StockReserved.create(
          { orderId: r.orderId, reservationId: r._id, lines: r.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })), expiresAt: r.expiresAt!.toISOString() },
          meta,
        ),
      ];
    case 'failed':
      return [StockReservationFailed.create({ orderId: r.orderId, reason: r.failure?.reason ?? 'OUT_OF_STOCK', lines: r.failure?.lines ?? [] }, meta)];
    case 'released':
      return [StockReleased.create({ orderId: r.orderId, reservationId: r._id, reason: r.releaseReason ?? 'ORDER_CANCELLED' }, meta)];
    case 'committed':
      return [StockCommitted.create({ orderId: r.orderId, reservationId: r._id }, meta)];
    default:
      return [];
  }
}

/**
 * Applies a saga trigger (order placed / confirmed / cancelled, expiry, resume) to an order's
 * reservation: claims the step on the reservation (a versioned commit with a lease), does its
 * stock steps, commits the outcome with its saga event. Idempotent per order: a trigger that
 * already happened finds the reservation past it and changes nothing.
 *
 * Throws RetryLaterError when another worker is mid-transition on the same order, or when the
 * event came too early; the consumer naks and the event comes back.
 */
export async function applyTrigger(deps: InventoryDeps, orderId: string, trigger: Trigger, cause: Cause): Promise<TriggerOutcome> {
  const id = reservationIdFor(orderId);
  // a dead worker's transition is finished first, then this trigger is planned again (bounded)
  for (let round = 0; round < 3; round++) {
    const owner = randomUUID();
    // this worker's watch time: settling removes the watch entry only if nobody re-watched since
    const watchedAt = deps.clock();
    if (trigger.kind === 'placed' || trigger.kind === 'confirmed' || trigger.kind === 'cancelled') {
      // watched before the claim, so a worker dying right after the claim is found by the sweep
      await deps.store.watch(id, watchedAt);
    }
    // what the last decide saw and planned (the one whose outcome was committed or returned)
    const last: { seen: ReservationRecord | null; plan: Plan | null } = { seen: null, plan: null };
    const r = await deps.committer.update<ReservationRecord, Plan>(COLLECTION, id, (cur) => {
      const plan = planFor(cur, trigger, { orderId, now: deps.clock(), owner, leaseMs: deps.leaseMs });
      last.seen = cur;
      last.plan = plan;
      return plan.kind === 'claim' ? { next: plan.next, events: sagaEvents(plan.emit, plan.next, cause) } : { done: plan };
    });
    if (r.status === 'contended') throw new RetryLaterError(`reservation ${id} is contended`);
    if (r.status === 'done') {
      const p = r.value;
      if (p.kind === 'busy') throw new RetryLaterError(`reservation ${id} is in a transition on another worker`);
      if (p.kind === 'notYet') throw new RetryLaterError(`order ${orderId}: ${p.reason}`);
      if (p.kind !== 'noop') throw new Error(`unexpected plan ${p.kind}`);
      const reservation = last.seen;
      // "nothing to do" decided on a document a newer commit had not reached yet: plan again
      if (await deps.store.hasVersionAfter(COLLECTION, id, reservation?.version ?? 0)) {
        await new Promise((res) => setTimeout(res, 10 * (round + 1)));
        continue;
      }
      if (reservation && SETTLED.has(reservation.status)) await unwatch(deps, id, watchedAt);
      return { kind: 'noop', reason: p.reason, unexpected: p.unexpected, reservation };
    }
    const settled = await drive(deps, r.state, owner, cause, watchedAt);
    if (!(last.plan?.kind === 'claim' && last.plan.tookOver)) return { kind: 'settled', reservation: settled };
    deps.logger.warn({ reservationId: id, status: settled.status }, 'finished a transition a dead worker left behind');
  }
  throw new RetryLaterError(`reservation ${id} keeps changing under this trigger`);
}

async function unwatch(deps: InventoryDeps, id: string, notAfter: Date): Promise<void> {
  await deps.store.unwatch(id, notAfter).catch((err) => deps.logger.warn({ err, reservationId: id }, 'could not unwatch a settled reservation; the sweep will'));
}

/** Runs transitions (as the lease holder) until the reservation is in a stable state. */
async function drive(deps: InventoryDeps, start: ReservationRecord, owner: string, cause: Cause, watchedAt: Date): Promise<ReservationRecord> {
  let cur = start;
  try {
    while (TRANSITIONAL.has(cur.status)) {
      const result = await runStockSteps(deps, cur, cause);
      cur = await advance(deps, cur, owner, result, cause);
    }
  } catch (err) {
    await giveUpLease(deps, cur._id, owner).catch(() => undefined);
    throw err;
  }
  if (SETTLED.has(cur.status)) await unwatch(deps, cur._id, watchedAt);
  return cur;
}

/** The stock steps of the reservation's current transition, line by line, each idempotent. */
async function runStockSteps(deps: InventoryDeps, r: ReservationRecord, cause: Cause): Promise<PhaseResult> {
  const lease = r.lease;
  if (!lease) throw new Error(`reservation ${r._id} is in ${r.status} without a lease`);
  // stop issuing stock writes well before the lease runs out: after that, another worker may take over
  const margin = Math.floor(deps.leaseMs / 3);
  const guard = () => {
    if (deps.clock().getTime() >= lease.until.getTime() - margin) throw new LeaseLostError(`lease on ${r._id} ran out mid-transition`);
  };
  const stockCause: Cause = { ...cause, correlationId: r.correlationId };
  for (const [index, line] of r.lines.entries()) {
    let rule: (cur: StockLevelRecord | null, now: Date) => StockChange;
    switch (r.status) {
      case 'RESERVING':
        rule = (cur, now) => hold(cur, line.variantId, line.locationId, r._id, line.quantity, now);
        break;
      case 'RELEASING':
        rule = (cur, now) => release(cur, r._id, now);
        break;
      case 'COMMITTING':
        rule = (cur, now) => commitSale(cur, r._id, now);
        break;
      case 'RESTOCKING':
        rule = (cur, now) => restock(cur, line.variantId, line.locationId, r._id, line.quantity, now);
        break;
      default:
        throw new Error(`no stock steps for ${r.status}`);
    }
    const change = await applyStockChange(deps, line.variantId, line.locationId, rule, stockCause, guard);
    if (change.kind === 'rejected') {
      // all or nothing: stop here; the RELEASING step that follows gives back the lines held so far
      return { ok: false, short: [{ variantId: line.variantId, requested: line.quantity, available: change.available }], heldSome: index > 0 };
    }
  }
  return { ok: true };
}

/** Commits the outcome of a transition (and its saga event), if this worker still holds the lease. */
async function advance(deps: InventoryDeps, r: ReservationRecord, owner: string, result: PhaseResult, cause: Cause): Promise<ReservationRecord> {
  const u = await deps.committer.update<ReservationRecord, null>(COLLECTION, r._id, (cur) => {
    if (!cur || cur.status !== r.status || cur.lease?.owner !== owner) return { done: null };
    const step = completePhase(cur, result, { orderId: cur.orderId, now: deps.clock(), owner, leaseMs: deps.leaseMs, ttlMs: deps.reservationTtlMs });
    return { next: step.next, events: sagaEvents(step.emit, step.next, cause) };
  });
  if (u.status === 'committed') return u.state;
  if (u.status === 'done') throw new LeaseLostError(`another worker took over reservation ${r._id}`);
  throw new RetryLaterError(`reservation ${r._id} is contended`);
}

/** After an error mid-transition: let the next delivery take over at once instead of waiting out the lease. */
async function giveUpLease(deps: InventoryDeps, id: string, owner: string): Promise<void> {
  await deps.committer.update<ReservationRecord, null>(COLLECTION, id, (cur) => {
    if (!cur || !TRANSITIONAL.has(cur.status) || cur.lease?.owner !== owner) return { done: null };
    return { next: { ...cur, lease: { owner, until: new Date(0) }, updatedAt: deps.clock(), version: cur.version + 1 }, events: [] };
  });
}
