import type { OrderEntry } from './rebuild.ts';
import { foldOrder, type OrderChange, type OrderState } from './order.ts';
import { ORDER_EVENTS, type OrdersDeps } from './deps.ts';

/** An order's state from its stream: fold every change in version order (the source of truth). */
export async function latestState(deps: Pick<OrdersDeps, 'db'>, orderId: string): Promise<OrderState | null> {
  const entries = await deps.db
    .collection<OrderEntry>(ORDER_EVENTS)
    .find({ aggregateId: orderId })
    .sort({ version: 1 })
    .project<{ change: OrderChange; version: number }>({ change: 1, version: 1 })
    .toArray();
  return foldOrder(orderId, entries.map((e) => e.change));
}
