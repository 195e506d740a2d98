import type { Model } from 'mongoose';
import type { OrderView } from '../model/order.model.ts';

export interface OrdersPage {
  items: OrderView[];
  hasNextPage: boolean;
}

/** Position after which the next page starts (newest first: createdAt desc, then id desc). */
export interface OrdersCursor {
  t: number;
  id: string;
}

/** One page of a customer's orders, newest first, from the read model (one indexed query). */
export async function customerOrders(model: Model<OrderView>, customerId: string, first: number, after?: OrdersCursor): Promise<OrdersPage> {
  const filter: Record<string, unknown> = { customerId };
  if (after) {
    const at = new Date(after.t);
    filter.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: after.id } }];
  }
  const rows = await model.find(filter).sort({ createdAt: -1, _id: -1 }).limit(first + 1).lean<OrderView[]>();
  return { items: rows.slice(0, first), hasNextPage: rows.length > first };
}
