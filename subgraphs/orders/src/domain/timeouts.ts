import type { OrdersDeps } from './deps.ts';
import { cancellation } from './cancel-order.ts';
import { transition } from './transition.ts';

/**
 * Every order reaches a terminal state: a PENDING order older than the saga timeout (a service
 * or the broker was down too long) is cancelled with TIMEOUT, which compensates downstream.
 */
export async function cancelTimedOutOrders(deps: OrdersDeps, timeoutMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - timeoutMs);
  const stale = await deps.models.Order.find({ status: 'PENDING', placedAt: { $lt: cutoff } }, { _id: 1 }).lean();
  let cancelled = 0;
  for (const { _id } of stale) {
    const r = await transition(deps, _id, cancellation('TIMEOUT', {}));
    if (r.status === 'applied') cancelled += 1;
  }
  if (cancelled) deps.logger.warn({ cancelled }, 'cancelled orders whose saga timed out');
  return cancelled;
}
