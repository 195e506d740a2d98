import { anyEventOn, startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import type { OrdersDeps } from '../domain/deps.ts';
import { latestState } from '../domain/order-stream.ts';
import { viewOf } from '../model/order.model.ts';

/**
 * The projection that keeps `order_views` current. It is a serial durable consumer (one message
 * at a time across instances), so it is the single writer of the read model; on any event of an
 * order it refreshes that order's view from the order's stream, so it does not depend on which
 * events it sees or in which order.
 */
export async function refreshView(deps: OrdersDeps, orderId: string): Promise<void> {
  const state = await latestState(deps, orderId);
  if (!state) return;
  const current = await deps.models.OrderView.collection.findOne({ _id: orderId } as never, { projection: { version: 1 } });
  if (current && (current as unknown as { version: number }).version >= state.version) return;
  await deps.models.OrderView.collection.replaceOne({ _id: orderId } as never, viewOf(state), { upsert: true });
}

export function startOrderProjection(deps: OrdersDeps, bus: EventBus): Promise<RunningConsumer> {
  return startConsumer({
    bus,
    db: deps.db,
    logger: deps.logger,
    name: 'orders-views',
    contract: anyEventOn('commerce.orders.>'),
    serial: true,
    handle: (e) => refreshView(deps, e.aggregateId),
  });
}
