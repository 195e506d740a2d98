import { describe, expect, it } from 'vitest';
import { newId } from '@commerce/platform';
import { completePhase, mergeLines, planFor, type PlanContext, type ReservationRecord } from '../src/domain/reservation.ts';
import { commitSale, hold, invariantViolation, release, restock, setOnHand, type StockChange, type StockLevelRecord } from '../src/domain/stock-level.ts';

const now = new Date('2026-01-01T00:00:00Z');
const V = newId('var');
const LOC = 'loc_default';

function changed(c: StockChange): StockLevelRecord {
  if (c.kind !== 'changed') throw new Error(`expected a change, got ${c.kind}`);
  expect(invariantViolation(c.next)).toBeNull();
  return c.next;
}

describe('stock level rules (pure)', () => {
  it('setOnHand creates version 1, is a no-op for the same quantity, never goes below reserved', () => {
    const l1 = changed(setOnHand(null, V, LOC, 5, now));
    expect(l1).toMatchObject({ _id: `${V}@${LOC}`, onHand: 5, reserved: 0, holds: [], version: 1 });
    expect(setOnHand(l1, V, LOC, 5, now).kind).toBe('unchanged');
    const l2 = changed(hold(l1, V, LOC, 'res_a', 3, now));
    expect(setOnHand(l2, V, LOC, 2, now)).toMatchObject({ kind: 'rejected', code: 'BELOW_RESERVED' });
    expect(changed(setOnHand(l2, V, LOC, 3, now))).toMatchObject({ onHand: 3, reserved: 3, version: 3 });
  });

  it('holds only what is available, once per reservation', () => {
    const l1 = changed(setOnHand(null, V, LOC, 4, now));
    expect(hold(null, V, LOC, 'res_a', 1, now)).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_STOCK', available: 0 });
    const l2 = changed(hold(l1, V, LOC, 'res_a', 3, now));
    expect(l2).toMatchObject({ onHand: 4, reserved: 3, holds: [{ reservationId: 'res_a', quantity: 3 }] });
    expect(hold(l2, V, LOC, 'res_a', 3, now).kind).toBe('unchanged'); // replayed step
    expect(hold(l2, V, LOC, 'res_b', 2, now)).toMatchObject({ kind: 'rejected', available: 1 });
    expect(changed(hold(l2, V, LOC, 'res_b', 1, now))).toMatchObject({ reserved: 4, version: 3 });
  });

  it('releases and commits a hold once; restock comes back held, then a release makes it available', () => {
    let l = changed(setOnHand(null, V, LOC, 10, now));
    l = changed(hold(l, V, LOC, 'res_a', 2, now));
    l = changed(hold(l, V, LOC, 'res_b', 3, now));
    l = changed(release(l, 'res_a', now));
    expect(l).toMatchObject({ onHand: 10, reserved: 3 });
    expect(release(l, 'res_a', now).kind).toBe('unchanged');
    l = changed(commitSale(l, 'res_b', now));
    expect(l).toMatchObject({ onHand: 7, reserved: 0, holds: [] });
    expect(commitSale(l, 'res_b', now).kind).toBe('unchanged');
    l = changed(restock(l, V, LOC, 'res_b', 3, now));
    expect(l).toMatchObject({ onHand: 10, reserved: 3 });
    expect(restock(l, V, LOC, 'res_b', 3, now).kind).toBe('unchanged'); // replayed restock adds nothing
    l = changed(release(l, 'res_b', now));
    expect(l).toMatchObject({ onHand: 10, reserved: 0, version: 7 });
  });

  it('refuses to build a state that breaks the invariant', () => {
    const broken: StockLevelRecord = { _id: 'x', variantId: V, locationId: LOC, onHand: 1, reserved: 2, holds: [{ reservationId: 'r', quantity: 2 }], updatedAt: now, version: 1 };
    expect(invariantViolation(broken)).toMatch(/exceeds/);
    expect(invariantViolation({ ...broken, onHand: 5, reserved: 1 })).toMatch(/holds sum/);
    expect(() => commitSale(broken, 'r', now)).toThrow(/broken state/);
    expect(() => restock({ ...broken, onHand: 5, reserved: 1, holds: [] }, V, LOC, 'r', 1, now)).toThrow(/broken state/);
  });
});

describe('reservation state machine (pure)', () => {
  const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({ orderId: 'ord_1', now, owner: 'w1', leaseMs: 30_000, ...over });
  const placed = (lines: Array<{ variantId: string; quantity: number }>) => ({ kind: 'placed' as const, lines, correlationId: 'corr' });
  const claimed = (p: ReturnType<typeof planFor>): ReservationRecord => {
    if (p.kind !== 'claim') throw new Error(`expected a claim, got ${p.kind}`);
    return p.next;
  };
  const V2 = newId('var');

  it('merges lines per variant and fails unknown variant ids up front', () => {
    expect(mergeLines([{ variantId: V, quantity: 1 }, { variantId: V2, quantity: 2 }, { variantId: V, quantity: 3 }]).lines).toEqual([
      { variantId: V, locationId: LOC, quantity: 4 },
      { variantId: V2, locationId: LOC, quantity: 2 },
    ]);
    const p = planFor(null, placed([{ variantId: 'not-a-variant', quantity: 1 }, { variantId: V, quantity: 1 }]), ctx());
    expect(p).toMatchObject({ kind: 'claim', emit: 'failed', next: { status: 'FAILED', version: 1, failure: { reason: 'UNKNOWN_VARIANT', lines: [{ variantId: 'not-a-variant' }] } } });
  });

  it('walks placed → HELD → COMMITTED → (cancel) RESTOCKING → RELEASED', () => {
    const reserving = claimed(planFor(null, placed([{ variantId: V, quantity: 2 }]), ctx()));
    expect(reserving).toMatchObject({ _id: 'res_ord_1', status: 'RESERVING', intent: 'HOLD', version: 1, lease: { owner: 'w1' } });
    expect(planFor(reserving, placed([{ variantId: V, quantity: 2 }]), ctx({ owner: 'w2' }))).toEqual({ kind: 'busy' });
    const held = completePhase(reserving, { ok: true }, { ...ctx(), ttlMs: 1000 });
    expect(held.emit).toBe('reserved');
    expect(held.next).toMatchObject({ status: 'HELD', lease: null, version: 2, expiresAt: new Date(now.getTime() + 1000) });
    expect(planFor(held.next, placed([{ variantId: V, quantity: 2 }]), ctx())).toMatchObject({ kind: 'noop' });
    const committing = claimed(planFor(held.next, { kind: 'confirmed' }, ctx()));
    expect(committing.status).toBe('COMMITTING');
    const committed = completePhase(committing, { ok: true }, { ...ctx(), ttlMs: 1000 });
    expect(committed).toMatchObject({ emit: 'committed', next: { status: 'COMMITTED', expiresAt: null } });
    expect(planFor(committed.next, { kind: 'confirmed' }, ctx())).toMatchObject({ kind: 'noop' });
    const restocking = claimed(planFor(committed.next, { kind: 'cancelled', correlationId: 'c' }, ctx()));
    expect(restocking.status).toBe('RESTOCKING');
    const releasing = completePhase(restocking, { ok: true }, { ...ctx(), ttlMs: 1000 });
    expect(releasing).toMatchObject({ emit: null, next: { status: 'RELEASING', releaseReason: 'ORDER_CANCELLED' } });
    expect(completePhase(releasing.next, { ok: true }, { ...ctx(), ttlMs: 1000 })).toMatchObject({ emit: 'released', next: { status: 'RELEASED' } });
  });

  it('compensates a short line: RESERVING → RELEASING → FAILED (stock-reservation-failed)', () => {
    const reserving = claimed(planFor(null, placed([{ variantId: V, quantity: 2 }]), ctx()));
    const short = [{ variantId: V, requested: 2, available: 1 }];
    const releasing = completePhase(reserving, { ok: false, short, heldSome: true }, { ...ctx(), ttlMs: 1000 });
    expect(releasing).toMatchObject({ emit: null, next: { status: 'RELEASING', failure: { reason: 'OUT_OF_STOCK', lines: short }, version: 2 } });
    expect(completePhase(releasing.next, { ok: true }, { ...ctx(), ttlMs: 1000 })).toMatchObject({ emit: 'failed', next: { status: 'FAILED', version: 3 } });
    // the first line short: nothing is held, so it fails at once (one version, no compensation step)
    expect(completePhase(reserving, { ok: false, short, heldSome: false }, { ...ctx(), ttlMs: 1000 })).toMatchObject({ emit: 'failed', next: { status: 'FAILED', version: 2, lease: null } });
  });

  it('expires a HELD reservation only after expiresAt; a late confirmation re-reserves', () => {
    const reserving = claimed(planFor(null, placed([{ variantId: V, quantity: 1 }]), ctx()));
    const held = completePhase(reserving, { ok: true }, { ...ctx(), ttlMs: 1000 }).next;
    expect(planFor(held, { kind: 'expire' }, ctx())).toMatchObject({ kind: 'noop' });
    const releasing = claimed(planFor(held, { kind: 'expire' }, ctx({ now: new Date(now.getTime() + 1000) })));
    expect(releasing).toMatchObject({ status: 'RELEASING', releaseReason: 'EXPIRED' });
    const released = completePhase(releasing, { ok: true }, { ...ctx(), ttlMs: 1000 });
    expect(released).toMatchObject({ emit: 'released', next: { status: 'RELEASED', releaseReason: 'EXPIRED' } });
    const again = claimed(planFor(released.next, { kind: 'confirmed' }, ctx()));
    expect(again).toMatchObject({ status: 'RESERVING', intent: 'COMMIT' });
    expect(completePhase(again, { ok: true }, { ...ctx(), ttlMs: 1000 }).next.status).toBe('COMMITTING');
    const short = [{ variantId: V, requested: 1, available: 0 }];
    expect(completePhase(again, { ok: false, short, heldSome: false }, { ...ctx(), ttlMs: 1000 })).toMatchObject({ emit: null, next: { status: 'RELEASED', releaseReason: 'EXPIRED' } });
    const failed = completePhase(again, { ok: false, short, heldSome: true }, { ...ctx(), ttlMs: 1000 }).next;
    expect(completePhase(failed, { ok: true }, { ...ctx(), ttlMs: 1000 })).toMatchObject({ emit: null, next: { status: 'RELEASED', releaseReason: 'EXPIRED', failure: { reason: 'OUT_OF_STOCK' } } });
  });

  it('answers cancel and confirm for unknown orders: tombstone vs not yet', () => {
    expect(planFor(null, { kind: 'confirmed' }, ctx())).toMatchObject({ kind: 'notYet' });
    const tomb = claimed(planFor(null, { kind: 'cancelled', correlationId: 'c' }, ctx()));
    expect(tomb).toMatchObject({ status: 'CANCELLED', lines: [], version: 1 });
    expect(planFor(tomb, placed([{ variantId: V, quantity: 1 }]), ctx())).toMatchObject({ kind: 'noop' });
  });

  it('lets a new worker take over a transition whose lease ran out', () => {
    const reserving = claimed(planFor(null, placed([{ variantId: V, quantity: 1 }]), ctx()));
    const later = ctx({ owner: 'w2', now: new Date(now.getTime() + 30_001) });
    const p = planFor(reserving, { kind: 'cancelled', correlationId: 'c' }, later);
    expect(p).toMatchObject({ kind: 'claim', tookOver: true, next: { status: 'RESERVING', version: 2, lease: { owner: 'w2' } } });
    expect(planFor(reserving, { kind: 'resume' }, later)).toMatchObject({ kind: 'claim', tookOver: false });
    expect(planFor(reserving, { kind: 'resume' }, ctx({ owner: 'w2' }))).toMatchObject({ kind: 'noop' });
  });
});
