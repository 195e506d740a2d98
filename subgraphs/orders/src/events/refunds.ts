import { PaymentRefunded } from '@commerce/events/contracts';
import { startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import type { OrdersDeps } from '../domain/deps.ts';
import { recordRefund } from '../domain/record-refund.ts';

/**
 * What payments paid back, recorded on the order (`orders-refunds` ← payments.payment-refunded):
 * one RefundRecorded change per refund id, with OrderRefunded, which also brings the read model
 * up to date (the projection refreshes on every orders event). A redelivered or republished
 * `payment-refunded` finds its refund id recorded and changes nothing; a contended append throws,
 * so the message is redelivered.
 */
export function startRefundRecorder(deps: OrdersDeps, bus: EventBus): Promise<RunningConsumer> {
  return startConsumer({
    bus,
    db: deps.db,
    logger: deps.logger,
    name: 'orders-refunds',
    contract: PaymentRefunded,
    handle: async (e) => {
      await recordRefund(deps, e.data, { correlationId: e.correlationId, causationId: e.id, ...(e.traceparent ? { traceparent: e.traceparent } : {}) });
    },
  });
}
