import { OrderRefunded } from '@commerce/events/contracts';
import type { Money } from '@commerce/platform';
import type { OrdersDeps } from './deps.ts';
import { refundedTotalOf, refundIdOf, refundRecording } from './order.ts';
import { transition } from './transition.ts';

export type RecordRefundOutcome = 'recorded' | 'already-recorded' | 'unknown-order';

/**
 * A refund payments made (`payment-refunded`), appended to the order's stream once per refund id
 * (`refundRecording` decides) together with OrderRefunded.
 */
export async function recordRefund(
  deps: OrdersDeps,
  refunded: { orderId: string; amount: Money; refundId?: string | undefined },
  meta: { correlationId: string; causationId: string; traceparent?: string },
): Promise<RecordRefundOutcome> {
  const refundId = refundIdOf(refunded);
  const r = await transition(deps, refunded.orderId, (s) => {
    const change = refundRecording(s, { refundId, amount: refunded.amount }, new Date().toISOString());
    if (!change) return null;
    return {
      change,
      events: (next) => [
        OrderRefunded.create(
          { orderId: next._id, customerId: next.customerId, refundId, amount: refunded.amount, refundedTotal: refundedTotalOf(next), refundedAt: change.at },
          { aggregateId: next._id, ...meta },
        ),
      ],
    };
  });
  if (r.status === 'contended') throw new Error(`order ${refunded.orderId} contended; retrying`);
  if (r.status === 'applied') {
    deps.logger.info({ orderId: refunded.orderId, refundId, amount: refunded.amount.amount, refundedTotal: refundedTotalOf(r.state).amount }, 'refund recorded');
    return 'recorded';
  }
  if (!r.state) {
    deps.logger.warn({ orderId: refunded.orderId, refundId }, 'refund for an unknown order');
    return 'unknown-order';
  }
  return 'already-recorded';
}
