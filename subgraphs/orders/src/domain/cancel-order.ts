import { OrderCancelled } from '@commerce/events/contracts';
import { fail, ok, userError, type Identity, type Result } from '@commerce/platform';
import type { CommandMeta, OrdersDeps } from './deps.ts';
import { canCancel, type CancellationReason, type OrderState } from './order.ts';
import { transition, type Transition } from './transition.ts';

/** The cancellation transition, shared by the customer's cancel and every saga failure path. */
export function cancellation(reason: CancellationReason, meta: { correlationId?: string; causationId?: string; traceparent?: string }) {
  return (s: OrderState): Transition => {
    if (!canCancel(s)) return null;
    // a sweep may still see PENDING while the saga moved on: only a PENDING order times out
    if (reason === 'TIMEOUT' && s.status !== 'PENDING') return null;
    if ((reason === 'OUT_OF_STOCK' || reason === 'PAYMENT_DECLINED') && s.status !== 'PENDING') return null;
    const wasConfirmed = s.status === 'CONFIRMED';
    const at = new Date().toISOString();
    return {
      change: { type: 'OrderCancelled', at, data: { reason, wasConfirmed } },
      events: (next) => [
        OrderCancelled.create(
          { orderId: next._id, customerId: next.customerId, reason, lines: next.lines, wasConfirmed, cancelledAt: at },
          { aggregateId: next._id, ...(meta.correlationId ? { correlationId: meta.correlationId } : {}), ...(meta.causationId ? { causationId: meta.causationId } : {}), ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
        ),
      ],
    };
  };
}

/** A customer (or an admin) cancels: stock is released, the payment voided or refunded. */
export async function cancelOrder(deps: OrdersDeps, user: Identity, orderId: string, meta: CommandMeta): Promise<Result<OrderState>> {
  const notFound = () => fail(userError('ORDER_NOT_FOUND', 'Order not found', ['id']));
  if (!/^ord_[0-9a-f]{25}$/.test(orderId)) return notFound();
  let owned = true;
  const result = await transition(deps, orderId, (s) => {
    if (s.customerId !== user.id && !user.roles.includes('ADMIN')) {
      owned = false;
      return null;
    }
    return cancellation('CUSTOMER_REQUEST', { correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) })(s);
  });
  if (result.status === 'contended') return fail(userError('CONCURRENT_UPDATE', 'The order is changing; try again', ['id']));
  if (!result.state || !owned) return notFound();
  if (result.status === 'unchanged') return fail(userError('ORDER_NOT_CANCELLABLE', `The order is already ${result.state.status.toLowerCase()}`, ['id']));
  return ok(result.state);
}
