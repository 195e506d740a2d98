import { OrderConfirmed, PaymentAuthorized, PaymentDeclined, PaymentRequested, StockReservationFailed, StockReserved } from '@commerce/events/contracts';
import { startConsumer, type EventBus, type EventEnvelope, type RunningConsumer } from '@commerce/events';
import type { OrdersDeps } from '../domain/deps.ts';
import { cancellation } from '../domain/cancel-order.ts';
import { transition, type Transition } from '../domain/transition.ts';
import type { OrderState } from '../domain/order.ts';

/**
 * The orders side of the checkout saga: each reply from inventory or payments moves the order
 * one step (docs/checkout-saga.md). Handlers are idempotent by construction — a step that has
 * happened decides "no change" — and a contended append throws, so the message is redelivered.
 */
const metaOf = (e: EventEnvelope) => ({ correlationId: e.correlationId, causationId: e.id, ...(e.traceparent ? { traceparent: e.traceparent } : {}) });

async function step(deps: OrdersDeps, orderId: string, decide: (s: OrderState) => Transition): Promise<void> {
  const r = await transition(deps, orderId, decide);
  if (r.status === 'contended') throw new Error(`order ${orderId} contended; retrying`);
  if (r.status === 'unchanged' && !r.state) deps.logger.warn({ orderId }, 'saga event for an unknown order');
}

export async function startSaga(deps: OrdersDeps, bus: EventBus): Promise<RunningConsumer[]> {
  const common = { bus, db: deps.db, logger: deps.logger };
  return Promise.all([
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: StockReserved,
      handle: (e) =>
        step(deps, e.data.orderId, (s) => {
          if (s.status !== 'PENDING' || s.stockReserved || !s.paymentToken) return null;
          const token = s.paymentToken;
          return {
            change: { type: 'StockReserved', at: new Date().toISOString(), data: { reservationId: e.data.reservationId } },
            events: (next) => [
              PaymentRequested.create(
                { orderId: next._id, customerId: next.customerId, amount: next.total, paymentToken: token, idempotencyKey: `pay:${next._id}` },
                { aggregateId: next._id, ...metaOf(e) },
              ),
            ],
          };
        }),
    }),
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: StockReservationFailed,
      handle: (e) => step(deps, e.data.orderId, cancellation('OUT_OF_STOCK', metaOf(e))),
    }),
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: PaymentAuthorized,
      handle: (e) =>
        step(deps, e.data.orderId, (s) => {
          if (s.status !== 'PENDING' || !s.stockReserved) return null;
          const at = new Date().toISOString();
          return {
            change: { type: 'OrderConfirmed', at, data: { paymentId: e.data.paymentId } },
            events: (next) => [OrderConfirmed.create({ orderId: next._id, customerId: next.customerId, lines: next.lines, total: next.total, confirmedAt: at }, { aggregateId: next._id, ...metaOf(e) })],
          };
        }),
    }),
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: PaymentDeclined,
      handle: (e) => step(deps, e.data.orderId, cancellation('PAYMENT_DECLINED', metaOf(e))),
    }),
  ]);
}
