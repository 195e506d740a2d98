import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailEvents, type EventEnvelope } from '@commerce/events';
import { newId } from '@commerce/platform';
import { eventually, testLogger } from '@commerce/testing';
import { applyTrigger } from '../src/domain/run-reservation.ts';
import type { InventoryService } from '../src/index.ts';
import { assertStockHistorySound, committedEvents, orderPlaced, setStockVia, settled, stockLevel, startTestInventory, type TestInventory } from './support/harness.ts';

/**
 * THE RACE: 6 units, 24 concurrent reservations of one unit for 24 different orders. Exactly 6
 * are reserved and 18 fail, and no committed version of the stock level ever has reserved >
 * on hand or a negative number — on FerretDB, whose updates are not atomic with their filters.
 * Run 5 times in a row, through the events (two instances × 4 workers sharing the durables) and
 * through the domain function directly.
 */
const RUNS = 5;
const UNITS = 6;
const ORDERS = 24;

let t: TestInventory;
let replica: InventoryService;
const seen = new Map<string, EventEnvelope>();
let tail: { stop(): Promise<void> };

beforeAll(async () => {
  t = await startTestInventory({ INVENTORY_CONSUMER_WORKERS: '4' });
  replica = await t.replica();
  tail = await tailEvents({ bus: t.svc.bus, subject: 'commerce.inventory.>', logger: testLogger, handle: (e) => void seen.set(e.id, e) });
});
afterAll(async () => {
  await tail?.stop();
  await t?.stop();
});

/** Samples the stored stock level while the race runs; every sample must be sound. */
function sampler(svc: InventoryService, variantId: string) {
  const bad: string[] = [];
  let samples = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      const l = await stockLevel(svc, variantId);
      samples += 1;
      if (l && (l.reserved < 0 || l.onHand < 0 || l.reserved > l.onHand)) bad.push(`v${l.version}: onHand ${l.onHand} reserved ${l.reserved}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      on = false;
      await loop;
      return { bad, samples };
    },
  };
}

async function race(via: 'events' | 'domain'): Promise<{ ms: number; overlap: number }> {
  const variantId = newId('var');
  await setStockVia(t.svc, variantId, UNITS);
  const orders = Array.from({ length: ORDERS }, () => t.newOrderId());
  const watch = sampler(t.svc, variantId);
  const started = performance.now();
  if (via === 'events') {
    await Promise.all(orders.map((o) => t.svc.bus.publish(orderPlaced(o, [[variantId, 1]]))));
  } else {
    const placed = (o: string) => ({ kind: 'placed' as const, lines: [{ variantId, quantity: 1 }], correlationId: o });
    // half on each instance's deps: two processes' worth of writers on one document
    await Promise.all(orders.map((o, i) => applyTrigger((i % 2 ? replica : t.svc).deps, o, placed(o), {})));
  }
  const reservations = await settled(t.svc, orders, ['HELD', 'FAILED']);
  const ms = performance.now() - started;
  const { bad, samples } = await watch.stop();
  // it really was a race: how many orders were being reserved at the same moment
  const spans = reservations.map((r) => [new Date(r.createdAt).getTime(), new Date(r.updatedAt).getTime()] as const);
  const overlap = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s <= b).length));
  expect(overlap).toBeGreaterThan(1);

  expect(bad).toEqual([]);
  expect(samples).toBeGreaterThan(0);
  expect(reservations.filter((r) => r.status === 'HELD')).toHaveLength(UNITS);
  expect(reservations.filter((r) => r.status === 'FAILED')).toHaveLength(ORDERS - UNITS);
  // documents converge on their newest committed version (the relay repairs a write that landed
  // out of order); the committed versions themselves are checked strictly below
  const level = await eventually(async () => {
    const l = await stockLevel(t.svc, variantId);
    return l && l.reserved === UNITS ? l : undefined;
  }, 5000);
  expect(level).toMatchObject({ onHand: UNITS, reserved: UNITS });
  expect(level!.holds.map((h) => h.reservationId).sort()).toEqual(reservations.filter((r) => r.status === 'HELD').map((r) => r._id).sort());
  // every committed version: contiguous, never negative, never oversold, each with its stock-level-changed
  const history = await assertStockHistorySound(t.svc, variantId);
  expect(history).toHaveLength(1 + UNITS); // setStock + one hold per reserved order; failures change nothing

  const events = await committedEvents(t.svc, orders);
  expect(events.filter((e) => e.short === 'stock-reserved')).toHaveLength(UNITS);
  expect(events.filter((e) => e.short === 'stock-reservation-failed')).toHaveLength(ORDERS - UNITS);
  expect(events).toHaveLength(ORDERS);
  // and they all went out on the stream
  await eventually(async () => events.every((e) => seen.has(e.id)), 10_000);
  return { ms, overlap };
}

describe('THE RACE: 6 units, 24 concurrent single-unit orders', () => {
  it(`through order-placed events, ${RUNS} runs: exactly 6 reserved, 18 failed, available 0, never negative`, async () => {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await race('events'));
    console.log(`[race] events (2 instances × 4 workers): ${runs.map((r) => `${r.ms.toFixed(0)} ms (${r.overlap} at once)`).join(', ')}`);
  }, 120_000);

  it(`through the domain function called concurrently, ${RUNS} runs: the same`, async () => {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await race('domain'));
    console.log(`[race] domain (24 concurrent applyTrigger, 2 deps): ${runs.map((r) => `${r.ms.toFixed(0)} ms (${r.overlap} at once)`).join(', ')}`);
  }, 120_000);
});
