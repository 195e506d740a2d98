import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '@commerce/events';
import { newId } from '@commerce/platform';
import { eventually } from '@commerce/testing';
import {
  assertStockHistorySound,
  committedEvents,
  orderCancelled,
  orderConfirmed,
  orderPlaced,
  reservationOf,
  setStockVia,
  settled,
  stockLevel,
  startTestInventory,
  type TestInventory,
} from './support/harness.ts';

/** The saga consumers, end to end through NATS: order events in, stock changes and saga events out. */
let t: TestInventory;
/** a second deployment with a short TTL and a fast sweep, for expiry */
let fast: TestInventory;

beforeAll(async () => {
  [t, fast] = await Promise.all([
    startTestInventory(),
    startTestInventory({ RESERVATION_TTL_MS: '300', RESERVATION_SWEEP_MS: '100', INVENTORY_CONSUMER_MAX_DELIVER: '2', INVENTORY_CONSUMER_BACKOFF_MS: '50' }),
  ]);
});
afterAll(async () => {
  await Promise.all([t?.stop(), fast?.stop()]);
});

const shorts = async (svc: TestInventory['svc'], orderId: string) => (await committedEvents(svc, [orderId])).map((e) => e.short);

describe('order-placed → reserve', () => {
  it('reserves once when the same order is delivered twice (same event, and a re-sent one with a new id)', async () => {
    const v = newId('var');
    await setStockVia(t.svc, v, 10);
    const orderId = t.newOrderId();
    const event = orderPlaced(orderId, [[v, 3]]);
    await Promise.all([t.svc.bus.publish(event), t.svc.bus.publish(event), t.svc.bus.publish(orderPlaced(orderId, [[v, 3]]))]);
    const [r] = await settled(t.svc, [orderId], ['HELD']);
    expect(r).toMatchObject({ lines: [{ variantId: v, quantity: 3 }], expiresAt: expect.any(Date) });
    // give the duplicate time to arrive and be ignored
    await new Promise((res) => setTimeout(res, 300));
    expect(await stockLevel(t.svc, v)).toMatchObject({ onHand: 10, reserved: 3, version: 2 });
    expect(await shorts(t.svc, orderId)).toEqual(['stock-reserved']);
    const [reserved] = await committedEvents(t.svc, [orderId]);
    expect(reserved!.data).toMatchObject({ orderId, reservationId: `res_${orderId}`, lines: [{ variantId: v, quantity: 3 }] });
  });

  it('releases the first line when the second is short, then publishes stock-reservation-failed', async () => {
    const [a, b] = [newId('var'), newId('var')];
    await setStockVia(t.svc, a, 5);
    await setStockVia(t.svc, b, 1);
    const orderId = t.newOrderId();
    await t.svc.bus.publish(orderPlaced(orderId, [[a, 2], [b, 2]]));
    await settled(t.svc, [orderId], ['FAILED']);
    expect(await stockLevel(t.svc, a)).toMatchObject({ onHand: 5, reserved: 0, holds: [] });
    expect(await stockLevel(t.svc, b)).toMatchObject({ onHand: 1, reserved: 0 });
    const history = await assertStockHistorySound(t.svc, a);
    expect(history.map((e) => (e.state as { reserved: number }).reserved)).toEqual([0, 2, 0]); // held, then given back
    const events = await committedEvents(t.svc, [orderId]);
    expect(events.map((e) => e.short)).toEqual(['stock-reservation-failed']);
    expect(events[0]!.data).toEqual({ orderId, reason: 'OUT_OF_STOCK', lines: [{ variantId: b, requested: 2, available: 1 }] });
    // the release of line a was committed before the failure was
    const releasedAt = history[2]!.createdAt.getTime();
    const failedEntry = (await t.svc.conn.db!.collection('outbox').findOne({ _id: `reservations:res_${orderId}:3` } as never))!;
    expect(failedEntry.createdAt.getTime()).toBeGreaterThanOrEqual(releasedAt);
  });
});

describe('order-confirmed → commit, order-cancelled → release / restock', () => {
  it('releases a HELD reservation on cancel (once), and a cancel for an order never reserved is a no-op', async () => {
    const v = newId('var');
    await setStockVia(t.svc, v, 4);
    const orderId = t.newOrderId();
    await t.svc.bus.publish(orderPlaced(orderId, [[v, 4]]));
    await settled(t.svc, [orderId], ['HELD']);
    expect(await stockLevel(t.svc, v)).toMatchObject({ reserved: 4 });
    await Promise.all([t.svc.bus.publish(orderCancelled(orderId, [[v, 4]])), t.svc.bus.publish(orderCancelled(orderId, [[v, 4]]))]);
    await settled(t.svc, [orderId], ['RELEASED']);
    expect(await stockLevel(t.svc, v)).toMatchObject({ onHand: 4, reserved: 0 });
    const events = await committedEvents(t.svc, [orderId]);
    expect(events.map((e) => e.short)).toEqual(['stock-reserved', 'stock-released']);
    expect(events[1]!.data).toMatchObject({ reason: 'ORDER_CANCELLED' });

    const never = t.newOrderId();
    await t.svc.bus.publish(orderCancelled(never, [[v, 1]]));
    await settled(t.svc, [never], ['CANCELLED']);
    await t.svc.bus.publish(orderPlaced(never, [[v, 1]])); // late: reserves nothing
    await new Promise((res) => setTimeout(res, 300));
    expect(await reservationOf(t.svc, never)).toMatchObject({ status: 'CANCELLED', version: 1 });
    expect(await committedEvents(t.svc, [never])).toEqual([]);
    expect(await stockLevel(t.svc, v)).toMatchObject({ reserved: 0, version: 3 });
  });

  it('commits a confirmed order (a sale), once; cancelling it afterwards restocks it', async () => {
    const v = newId('var');
    await setStockVia(t.svc, v, 5);
    const orderId = t.newOrderId();
    await t.svc.bus.publish(orderPlaced(orderId, [[v, 2]]));
    await settled(t.svc, [orderId], ['HELD']);
    await Promise.all([t.svc.bus.publish(orderConfirmed(orderId, [[v, 2]])), t.svc.bus.publish(orderConfirmed(orderId, [[v, 2]]))]);
    await settled(t.svc, [orderId], ['COMMITTED']);
    expect(await stockLevel(t.svc, v)).toMatchObject({ onHand: 3, reserved: 0, holds: [] });
    expect(await shorts(t.svc, orderId)).toEqual(['stock-reserved', 'stock-committed']);

    await t.svc.bus.publish(orderCancelled(orderId, [[v, 2]], true));
    await settled(t.svc, [orderId], ['RELEASED']);
    expect(await stockLevel(t.svc, v)).toMatchObject({ onHand: 5, reserved: 0, holds: [] });
    expect(await shorts(t.svc, orderId)).toEqual(['stock-reserved', 'stock-committed', 'stock-released']);
    await assertStockHistorySound(t.svc, v);
  });
});

describe('expiry (RESERVATION_TTL_MS 300, sweep every 100 ms)', () => {
  it('the sweep releases a HELD reservation past expiresAt (stock-released EXPIRED); a late confirmation re-reserves and sells', async () => {
    const v = newId('var');
    await setStockVia(fast.svc, v, 3);
    const orderId = fast.newOrderId();
    await fast.svc.bus.publish(orderPlaced(orderId, [[v, 2]]));
    await settled(fast.svc, [orderId], ['HELD', 'RELEASED'], 5000);
    const released = await settled(fast.svc, [orderId], ['RELEASED'], 5000);
    expect(released[0]).toMatchObject({ releaseReason: 'EXPIRED' });
    expect(await stockLevel(fast.svc, v)).toMatchObject({ onHand: 3, reserved: 0 });
    const events = await committedEvents(fast.svc, [orderId]);
    expect(events.map((e) => e.short)).toEqual(['stock-reserved', 'stock-released']);
    expect(events[1]!.data).toMatchObject({ reason: 'EXPIRED' });

    await fast.svc.bus.publish(orderConfirmed(orderId, [[v, 2]]));
    await settled(fast.svc, [orderId], ['COMMITTED'], 5000);
    expect(await stockLevel(fast.svc, v)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await shorts(fast.svc, orderId)).toEqual(['stock-reserved', 'stock-released', 'stock-committed']);
  });

  it('parks a late confirmation that cannot be reserved again (dead letter), holding nothing', async () => {
    const v = newId('var');
    await setStockVia(fast.svc, v, 2);
    const orderId = fast.newOrderId();
    await fast.svc.bus.publish(orderPlaced(orderId, [[v, 2]]));
    await settled(fast.svc, [orderId], ['RELEASED'], 5000);
    await setStockVia(fast.svc, v, 1); // sold elsewhere meanwhile
    const confirmed = orderConfirmed(orderId, [[v, 2]]);
    await fast.svc.bus.publish(confirmed);
    const letter = await eventually(async () => (await listDeadLetters(fast.svc.conn.db!)).find((l) => l.eventId === confirmed.id), 10_000);
    expect(letter).toMatchObject({ status: 'parked', attempts: 2 });
    expect(letter.error).toMatch(/confirmed after its reservation expired/);
    expect(await reservationOf(fast.svc, orderId)).toMatchObject({ status: 'RELEASED', releaseReason: 'EXPIRED', failure: { reason: 'OUT_OF_STOCK' } });
    expect(await stockLevel(fast.svc, v)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await shorts(fast.svc, orderId)).toEqual(['stock-reserved', 'stock-released']);
  });
});
