import type { OrderChange, OrderState } from './order.ts';
import { foldOrder } from './order.ts';
import { ORDER_EVENTS, type OrdersDeps } from './deps.ts';
import { viewOf, type OrderView } from '../model/order.model.ts';

export interface OrderEntry {
  _id: string;
  aggregateId: string;
  version: number;
  change: OrderChange;
}

/**
 * Rebuilds the read model from the order streams: folds every stream and rewrites
 * `order_views` (into a fresh collection, then swapped in, so readers never see it half done).
 * Returns how many orders it wrote.
 */
export async function rebuildOrderViews(deps: Pick<OrdersDeps, 'db' | 'logger'>, opts: { target?: string } = {}): Promise<number> {
  const target = opts.target ?? 'order_views';
  const scratch = `${target}_rebuild_${Date.now()}`;
  const byOrder = new Map<string, OrderChange[]>();
  const cursor = deps.db.collection<OrderEntry>(ORDER_EVENTS).find({}).sort({ aggregateId: 1, version: 1 }).project<OrderEntry>({ aggregateId: 1, version: 1, change: 1 });
  for await (const e of cursor) {
    const list = byOrder.get(e.aggregateId) ?? [];
    list.push(e.change);
    byOrder.set(e.aggregateId, list);
  }
  const views: OrderView[] = [];
  for (const [orderId, changes] of byOrder) {
    const state = foldOrder(orderId, changes) as OrderState;
    views.push(viewOf(state));
  }
  const coll = deps.db.collection<OrderView>(scratch);
  for (let i = 0; i < views.length; i += 1000) await coll.insertMany(views.slice(i, i + 1000));
  if (views.length === 0) await deps.db.createCollection(scratch);
  await coll.createIndex({ customerId: 1, createdAt: -1, _id: -1 });
  await deps.db.collection(target).drop().catch(() => undefined);
  await deps.db.renameCollection(scratch, target);
  deps.logger.info({ orders: views.length }, 'order read model rebuilt from the streams');
  return views.length;
}
