import { MongoClient } from 'mongodb';
import { outboxCollection, type EventEnvelope, type OutboxEntry } from '@commerce/events';
import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@commerce/events/contracts';
import { newId } from '@commerce/platform';
import { ADMIN, callSubgraph, eventually, serviceEnv, testInfra } from '@commerce/testing';
import { expect } from 'vitest';
import { startInventory, type InventoryService } from '../../src/index.ts';
import { reservationIdFor, type ReservationRecord, type ReservationStatus } from '../../src/domain/reservation.ts';
import { invariantViolation, stockLevelId, type StockLevelRecord } from '../../src/domain/stock-level.ts';

export const SET_STOCK = /* GraphQL */ `
  mutation SetStock($variantId: ID!, $quantity: Int!) {
    setStock(variantId: $variantId, quantity: $quantity) { availability { inStock quantityAvailable } userErrors { field message code } }
  }`;

/**
 * One inventory deployment under test: its own database (so its own durables), handling only
 * the orders this test makes (the stream is shared with every other test running).
 */
export interface TestInventory {
  svc: InventoryService;
  env: NodeJS.ProcessEnv;
  newOrderId(): string;
  /** another instance of the same deployment (same database, same durables) */
  replica(): Promise<InventoryService>;
  stop(): Promise<void>;
}

export async function startTestInventory(extra: Record<string, string> = {}, opts: { monitorCommands?: boolean } = {}): Promise<TestInventory> {
  const env = serviceEnv('inventory', extra);
  const hooks = opts.monitorCommands ? { monitorCommands: true } : {};
  const svc = await startInventory(env, hooks);
  const replicas: InventoryService[] = [];
  return {
    svc,
    env,
    newOrderId() {
      return newId('ord');
    },
    async replica() {
      const r = await startInventory(env, hooks);
      replicas.push(r);
      return r;
    },
    async stop() {
      for (const r of replicas) await r.stop();
      await svc.stop();
      const client = new MongoClient(testInfra().mongoUrl);
      await client.db(env.INVENTORY_DB_NAME).dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

const money = (amount: number) => ({ amount, currencyCode: 'USD' });
const orderLines = (lines: Array<[string, number]>) =>
  lines.map(([variantId, quantity], i) => ({ productId: newId('prod'), variantId, sku: `SKU-${i}`, title: `Item ${i}`, quantity, unitPrice: money(1000) }));

export function orderPlaced(orderId: string, lines: Array<[string, number]>): EventEnvelope {
  return OrderPlaced.create(
    { orderId, customerId: 'cust_test', cartId: newId('cart'), lines: orderLines(lines), total: money(1000 * lines.length), placedAt: new Date().toISOString() },
    { aggregateId: orderId },
  );
}
export function orderConfirmed(orderId: string, lines: Array<[string, number]>): EventEnvelope {
  return OrderConfirmed.create({ orderId, customerId: 'cust_test', lines: orderLines(lines), total: money(1000), confirmedAt: new Date().toISOString() }, { aggregateId: orderId });
}
export function orderCancelled(orderId: string, lines: Array<[string, number]>, wasConfirmed = false): EventEnvelope {
  return OrderCancelled.create(
    { orderId, customerId: 'cust_test', reason: 'CUSTOMER_REQUEST', lines: orderLines(lines), wasConfirmed, cancelledAt: new Date().toISOString() },
    { aggregateId: orderId },
  );
}

export async function setStockVia(svc: InventoryService, variantId: string, quantity: number): Promise<void> {
  const r = await callSubgraph(svc.url, SET_STOCK, { variantId, quantity }, ADMIN);
  expect(r.errors).toBeUndefined();
  expect(r.data!.setStock.userErrors).toEqual([]);
}

export async function stockLevel(svc: InventoryService, variantId: string): Promise<StockLevelRecord | null> {
  return (await svc.conn.db!.collection('stock_levels').findOne({ _id: stockLevelId(variantId) } as never)) as unknown as StockLevelRecord | null;
}

export async function reservationOf(svc: InventoryService, orderId: string): Promise<ReservationRecord | null> {
  return svc.deps.store.reservation(reservationIdFor(orderId));
}

/** Waits until every given order's reservation is in one of `statuses`. */
export async function settled(svc: InventoryService, orderIds: string[], statuses: ReservationStatus[], timeoutMs = 15_000): Promise<ReservationRecord[]> {
  return eventually(async () => {
    const rs = await svc.deps.store.reservations(orderIds.map(reservationIdFor));
    return rs.length === orderIds.length && rs.every((r) => statuses.includes(r.status)) ? rs : null;
  }, timeoutMs, 25);
}

/** The saga events this deployment committed (its outbox), for these orders, by short type. */
export async function committedEvents(svc: InventoryService, orderIds: string[]): Promise<Array<EventEnvelope & { short: string }>> {
  const ids = new Set(orderIds);
  const entries = await outboxCollection(svc.conn.db!).find({ collection: 'reservations' }).toArray();
  return entries
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.version - b.version)
    .flatMap((e) => e.events)
    .filter((e) => ids.has((e.data as { orderId: string }).orderId))
    .map((e) => ({ ...e, short: e.type.split('.')[2]! }));
}

/** Every committed version of a stock level, checked: contiguous versions, invariant, one stock-level-changed each. */
export async function assertStockHistorySound(svc: InventoryService, variantId: string): Promise<OutboxEntry[]> {
  const entries = await outboxCollection(svc.conn.db!).find({ collection: 'stock_levels', aggregateId: stockLevelId(variantId) }).toArray();
  entries.sort((a, b) => a.version - b.version);
  entries.forEach((e, i) => {
    expect(e.version).toBe(i + 1);
    const state = e.state as unknown as StockLevelRecord;
    expect(invariantViolation(state)).toBeNull();
    expect(e.events).toHaveLength(1);
    expect(e.events[0]!.data).toMatchObject({ variantId, onHand: state.onHand, reserved: state.reserved, available: state.onHand - state.reserved, version: e.version });
  });
  return entries;
}
