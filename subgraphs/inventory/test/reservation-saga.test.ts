import { describe, expect, it } from 'vitest';
import { newId } from '@commerce/platform';
import type { EventEnvelope } from '@commerce/events';
import { StockLevelChanged } from '@commerce/events/contracts';
import { RetryLaterError } from '../src/domain/deps.ts';
import { reservationIdFor, type ReservationRecord } from '../src/domain/reservation.ts';
import { applyTrigger } from '../src/domain/run-reservation.ts';
import { setStock } from '../src/domain/set-stock.ts';
import { invariantViolation, stockLevelId, type StockLevelRecord } from '../src/domain/stock-level.ts';
import { sweepReservations } from '../src/domain/sweep-reservations.ts';
import { memoryDeps, type MemoryDeps } from './support/memory-deps.ts';

const placed = (lines: Array<[string, number]>) => ({ kind: 'placed' as const, lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })), correlationId: 'corr' });
const level = (d: MemoryDeps, variantId: string) => d.committer.get<StockLevelRecord>('stock_levels', stockLevelId(variantId));
const reservation = (d: MemoryDeps, orderId: string) => d.committer.get<ReservationRecord>('reservations', reservationIdFor(orderId))!;
const types = (events: EventEnvelope[]) => events.map((e) => e.type.split('.')[2]);
const sagaOf = (d: MemoryDeps, orderId: string) => d.committer.published.filter((e) => (e.data as { orderId?: string }).orderId === orderId);

async function stocked(d: MemoryDeps, quantity: number): Promise<string> {
  const v = newId('var');
  const r = await setStock(d, v, quantity, {});
  expect(r.ok).toBe(true);
  return v;
}

function assertEveryVersionSound(d: MemoryDeps, variantId: string): StockLevelRecord[] {
  const versions = d.committer.versions<StockLevelRecord>('stock_levels', stockLevelId(variantId));
  versions.forEach((v, i) => {
    expect(v.version).toBe(i + 1);
    expect(invariantViolation(v)).toBeNull();
  });
  return versions;
}

describe('setStock (domain)', () => {
  it('validates, creates unknown-but-well-formed variants, and never goes below reserved', async () => {
    const d = memoryDeps();
    expect(await setStock(d, 'prod_123', 1, {})).toMatchObject({ ok: false, errors: [{ code: 'VARIANT_NOT_FOUND', field: ['variantId'] }] });
    for (const q of [-1, 1_000_001, 1.5]) expect(await setStock(d, newId('var'), q, {})).toMatchObject({ ok: false, errors: [{ code: 'INVALID_QUANTITY', field: ['quantity'] }] });
    const v = await stocked(d, 5);
    expect(level(d, v)).toMatchObject({ onHand: 5, reserved: 0, version: 1 });
    expect(await setStock(d, v, 1_000_000, {})).toMatchObject({ ok: true });
    await applyTrigger(d, 'ord_a', placed([[v, 3]]), {});
    expect(await setStock(d, v, 2, {})).toMatchObject({ ok: false, errors: [{ code: 'BELOW_RESERVED' }] });
    expect(await setStock(d, v, 3, {})).toMatchObject({ ok: true, value: { onHand: 3, reserved: 3 } });
    // every change published its stock-level-changed in the same commit
    const changes = d.committer.published.filter((e) => e.type === StockLevelChanged.type).map((e) => StockLevelChanged.parse(e).data);
    expect(changes.map((c) => [c.onHand, c.reserved, c.available, c.version])).toEqual([
      [5, 0, 5, 1],
      [1_000_000, 0, 1_000_000, 2],
      [1_000_000, 3, 999_997, 3],
      [3, 3, 0, 4],
    ]);
  });
});

describe('reserving an order (domain)', () => {
  it('reserves every line, or none: a short second line releases the first (compensation)', async () => {
    const d = memoryDeps();
    const a = await stocked(d, 5);
    const b = await stocked(d, 1);
    const out = await applyTrigger(d, 'ord_multi', placed([[a, 2], [b, 2]]), { eventId: 'evt-1' });
    expect(out).toMatchObject({ kind: 'settled', reservation: { status: 'FAILED', failure: { reason: 'OUT_OF_STOCK', lines: [{ variantId: b, requested: 2, available: 1 }] } } });
    expect(level(d, a)).toMatchObject({ onHand: 5, reserved: 0, holds: [] });
    expect(level(d, b)).toMatchObject({ onHand: 1, reserved: 0 });
    // a was held, then released before the failure was published
    const seq = d.committer.published.map((e) => (e.type === StockLevelChanged.type ? `level:${StockLevelChanged.parse(e).data.reserved}` : e.type.split('.')[2]));
    expect(seq.slice(-3)).toEqual(['level:2', 'level:0', 'stock-reservation-failed']);
    expect(d.store.open.size).toBe(0);
  });

  it('holds a multi-line order and publishes stock-reserved once, even when placed twice or concurrently', async () => {
    const d = memoryDeps({ ttlMs: 60_000 });
    const a = await stocked(d, 5);
    const b = await stocked(d, 5);
    const outs = await Promise.all([1, 2, 3].map(() => applyTrigger(d, 'ord_dup', placed([[a, 1], [b, 2], [a, 1]]), {}).catch((e) => e)));
    // concurrent duplicates: one runs, the others are deferred (RetryLater) or find it done
    expect(outs.filter((o) => !(o instanceof RetryLaterError) && o.kind === 'settled')).toHaveLength(1);
    await applyTrigger(d, 'ord_dup', placed([[a, 2], [b, 2]]), {});
    expect(level(d, a)).toMatchObject({ reserved: 2, holds: [{ reservationId: 'res_ord_dup', quantity: 2 }] });
    expect(level(d, b)).toMatchObject({ reserved: 2 });
    expect(types(sagaOf(d, 'ord_dup'))).toEqual(['stock-reserved']);
    expect(reservation(d, 'ord_dup')).toMatchObject({ status: 'HELD', lines: [{ variantId: a, quantity: 2 }, { variantId: b, quantity: 2 }] });
  });

  it('never oversells: 24 concurrent single-unit orders on 6 units → 6 held, 18 failed', async () => {
    const d = memoryDeps();
    const v = await stocked(d, 6);
    const orders = Array.from({ length: 24 }, (_, i) => `ord_race_${i}`);
    const outs = await Promise.all(orders.map((o) => applyTrigger(d, o, placed([[v, 1]]), {})));
    const statuses = outs.map((o) => (o.kind === 'settled' ? o.reservation.status : 'noop'));
    expect(statuses.filter((s) => s === 'HELD')).toHaveLength(6);
    expect(statuses.filter((s) => s === 'FAILED')).toHaveLength(18);
    expect(level(d, v)).toMatchObject({ onHand: 6, reserved: 6 });
    assertEveryVersionSound(d, v);
  });

  it('fails an order with a malformed variant id without touching stock', async () => {
    const d = memoryDeps();
    const out = await applyTrigger(d, 'ord_bad', placed([['sku-123', 1]]), {});
    expect(out).toMatchObject({ kind: 'settled', reservation: { status: 'FAILED', failure: { reason: 'UNKNOWN_VARIANT' } } });
    expect(types(sagaOf(d, 'ord_bad'))).toEqual(['stock-reservation-failed']);
    expect(d.committer.coll('stock_levels').size).toBe(0);
  });
});

describe('confirm, cancel, expire (domain)', () => {
  it('commits a confirmed order once; a cancellation afterwards restocks it once', async () => {
    const d = memoryDeps();
    const v = await stocked(d, 5);
    await applyTrigger(d, 'ord_c', placed([[v, 2]]), {});
    await applyTrigger(d, 'ord_c', { kind: 'confirmed' }, {});
    await applyTrigger(d, 'ord_c', { kind: 'confirmed' }, {});
    expect(level(d, v)).toMatchObject({ onHand: 3, reserved: 0, holds: [] });
    await applyTrigger(d, 'ord_c', { kind: 'cancelled', correlationId: 'c' }, {});
    await applyTrigger(d, 'ord_c', { kind: 'cancelled', correlationId: 'c' }, {});
    expect(level(d, v)).toMatchObject({ onHand: 5, reserved: 0, holds: [] });
    expect(types(sagaOf(d, 'ord_c'))).toEqual(['stock-reserved', 'stock-committed', 'stock-released']);
    expect(reservation(d, 'ord_c')).toMatchObject({ status: 'RELEASED', releaseReason: 'ORDER_CANCELLED' });
    assertEveryVersionSound(d, v);
    expect(d.store.open.size).toBe(0);
  });

  it('releases a cancelled HELD order; a cancel for an order never reserved is a tombstone (a late placed reserves nothing)', async () => {
    const d = memoryDeps();
    const v = await stocked(d, 5);
    await applyTrigger(d, 'ord_r', placed([[v, 4]]), {});
    await applyTrigger(d, 'ord_r', { kind: 'cancelled', correlationId: 'c' }, {});
    expect(level(d, v)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(types(sagaOf(d, 'ord_r'))).toEqual(['stock-reserved', 'stock-released']);

    const out = await applyTrigger(d, 'ord_never', { kind: 'cancelled', correlationId: 'c' }, {});
    expect(out).toMatchObject({ kind: 'settled', reservation: { status: 'CANCELLED' } });
    expect(await applyTrigger(d, 'ord_never', placed([[v, 1]]), {})).toMatchObject({ kind: 'noop' });
    expect(sagaOf(d, 'ord_never')).toEqual([]);
    expect(level(d, v)).toMatchObject({ reserved: 0 });
    await expect(applyTrigger(d, 'ord_unknown', { kind: 'confirmed' }, {})).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('the sweep releases expired holds (EXPIRED); a late confirmation re-reserves, or gives up when the stock is gone', async () => {
    const d = memoryDeps({ ttlMs: 1000 });
    const v = await stocked(d, 2);
    await applyTrigger(d, 'ord_e1', placed([[v, 1]]), {});
    await applyTrigger(d, 'ord_e2', placed([[v, 1]]), {});
    expect(await sweepReservations(d)).toMatchObject({ expired: 0 });
    d.advance(1001);
    expect(await sweepReservations(d)).toMatchObject({ expired: 2 });
    expect(level(d, v)).toMatchObject({ reserved: 0 });
    expect(types(sagaOf(d, 'ord_e1'))).toEqual(['stock-reserved', 'stock-released']);
    expect(sagaOf(d, 'ord_e1')[1]!.data).toMatchObject({ reason: 'EXPIRED' });

    // confirmed after expiry, stock still there: re-reserved and sold
    const ok = await applyTrigger(d, 'ord_e1', { kind: 'confirmed' }, {});
    expect(ok).toMatchObject({ kind: 'settled', reservation: { status: 'COMMITTED' } });
    expect(level(d, v)).toMatchObject({ onHand: 1, reserved: 0 });
    // the last unit goes elsewhere; the second late confirmation cannot be served
    await setStock(d, v, 0, {});
    const gone = await applyTrigger(d, 'ord_e2', { kind: 'confirmed' }, {});
    expect(gone).toMatchObject({ kind: 'settled', reservation: { status: 'RELEASED', releaseReason: 'EXPIRED', failure: { reason: 'OUT_OF_STOCK' } } });
    expect(types(sagaOf(d, 'ord_e2'))).toEqual(['stock-reserved', 'stock-released']);
    expect(d.store.open.size).toBe(0);
  });

  it('finishes a transition a crashed worker left behind (no double hold)', async () => {
    const d = memoryDeps();
    const a = await stocked(d, 5);
    const b = await stocked(d, 5);
    // crash right after the second line's outbox claim (its document write never happens)
    d.committer.failAfterClaim = (coll, next) => coll === 'stock_levels' && (next as unknown as StockLevelRecord).variantId === b;
    await expect(applyTrigger(d, 'ord_crash', placed([[a, 1], [b, 1]]), {})).rejects.toThrow(/simulated crash/);
    d.committer.failAfterClaim = null;
    expect(reservation(d, 'ord_crash').status).toBe('RESERVING');
    // the lease was given up on the error, so the redelivery takes over at once
    const out = await applyTrigger(d, 'ord_crash', placed([[a, 1], [b, 1]]), {});
    expect(out).toMatchObject({ kind: 'noop' });
    expect(reservation(d, 'ord_crash').status).toBe('HELD');
    for (const v of [a, b]) expect(d.committer.versions<StockLevelRecord>('stock_levels', stockLevelId(v)).at(-1)).toMatchObject({ reserved: 1, holds: [{ reservationId: 'res_ord_crash', quantity: 1 }] });
    expect(types(sagaOf(d, 'ord_crash'))).toEqual(['stock-reserved']);
  });

  it('double-checks a "no" decided on a document a newer commit has not reached yet', async () => {
    const d = memoryDeps();
    const v = await stocked(d, 1);
    await applyTrigger(d, 'ord_first', placed([[v, 1]]), {});
    // the release of ord_first's unit is claimed, but its document write lags behind
    d.committer.docWriteDelay = (coll, next) => (coll === 'stock_levels' && next.version === 3 ? 25 : 0);
    const cancel = applyTrigger(d, 'ord_first', { kind: 'cancelled', correlationId: 'c' }, {});
    while (!d.committer.entries.has(`stock_levels:${stockLevelId(v)}:3`)) await new Promise((r) => setImmediate(r));
    expect(level(d, v)).toMatchObject({ reserved: 1, version: 2 }); // what a reader sees now
    const second = await applyTrigger(d, 'ord_second', placed([[v, 1]]), {});
    expect(second).toMatchObject({ kind: 'settled', reservation: { status: 'HELD' } }); // not a stale OUT_OF_STOCK
    await cancel;
    expect(level(d, v)).toMatchObject({ onHand: 1, reserved: 1, holds: [{ reservationId: 'res_ord_second' }] });
    // a document that never catches up: never a stale "no", a retry later instead
    d.committer.docWriteDelay = null;
    d.committer.entries.set(`stock_levels:${stockLevelId(v)}:5`, { state: { ...level(d, v)!, reserved: 0, holds: [], version: 5 } as never, events: [] });
    await expect(applyTrigger(d, 'ord_third', placed([[v, 1]]), {})).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('defers to a live lease and lets the sweep resume a transition whose lease ran out', async () => {
    const d = memoryDeps({ leaseMs: 30_000 });
    const v = await stocked(d, 5);
    // a worker claimed the order and died before any stock step
    await d.committer.commit('reservations', {
      _id: 'res_ord_dead', orderId: 'ord_dead', lines: [{ variantId: v, locationId: 'loc_default', quantity: 2 }], status: 'RESERVING', intent: 'HOLD',
      releaseReason: null, failure: null, expiresAt: null, lease: { owner: 'dead', until: new Date(d.clock().getTime() + 30_000) }, correlationId: 'c',
      createdAt: d.clock(), updatedAt: d.clock(), version: 1,
    } satisfies ReservationRecord, []);
    await d.store.watch('res_ord_dead', d.clock());
    await expect(applyTrigger(d, 'ord_dead', { kind: 'cancelled', correlationId: 'c' }, {})).rejects.toBeInstanceOf(RetryLaterError);
    expect(await sweepReservations(d)).toMatchObject({ resumed: 0 });
    d.advance(30_001);
    expect(await sweepReservations(d)).toMatchObject({ resumed: 1 });
    expect(reservation(d, 'ord_dead').status).toBe('HELD');
    expect(level(d, v)).toMatchObject({ reserved: 2 });
  });
});
