import { OrderConfirmed, PaymentAuthorized, PaymentDeclined, PaymentRequested, StockReservationFailed, StockReserved } from '@commerce/events/contracts';
import { startConsumer, type EventBus, type EventEnvelope, type RunningConsumer } from '@commerce/events';
import type { OrdersDeps } from '../domain/deps.ts';
import { cancellation } from '../domain/cancel-order.ts';
import { decideAuthorization, type PaymentMismatch } from '../domain/payment-check.ts';
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

/**
 * A `payment-authorized` that is not this order's payment or not its total (forged by someone
 * who reached NATS, or a payments bug) confirms nothing. The order is left as it is, not
 * cancelled: cancelling on a foreign event would let whoever can publish one cancel any order,
 * and would race the genuine authorization, which still confirms it when it comes. If none
 * comes, the saga timeout cancels the order (TIMEOUT) and that compensates downstream (stock
 * released, an authorization voided). The event is acked: redelivering it decides the same.
 */
function reportMismatch(
  deps: OrdersDeps,
  e: EventEnvelope<{ orderId: string; paymentId: string; amount: OrderState['total'] }>,
  r: { mismatches: PaymentMismatch[]; expected: OrderState['total']; status: OrderState['status'] },
): void {
  for (const reason of r.mismatches) deps.sagaMetrics?.paymentMismatches?.inc({ reason });
  deps.logger.warn(
    { orderId: e.data.orderId, eventId: e.id, paymentId: e.data.paymentId, amount: e.data.amount, expected: r.expected, orderStatus: r.status, mismatches: r.mismatches },
    'payment-authorized does not match the order (payment id, amount or currency): not confirmed',
  );
}

export async function startSaga(deps: OrdersDeps, bus: EventBus): Promise<RunningConsumer[]> {
  const common = { bus, db: deps.db, logger: deps.logger };
  return Promise.all([
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: StockReserved,
      handle: async (e) => {
        // an order placed before the claim check holds its token itself (`paymentToken`): it is
        // moved into the payment-token store first, so that no new event or entry carries it
        let legacyToken = null as string | null;
        let legacyRef = null as string | null;
        const decide = (s: OrderState): Transition => {
          legacyToken = null;
          if (s.status !== 'PENDING' || s.stockReserved) return null;
          const ref = s.paymentTokenRef ?? legacyRef;
          if (!ref) {
            legacyToken = s.paymentToken ?? null;
            return null;
          }
          return {
            change: { type: 'StockReserved', at: new Date().toISOString(), data: { reservationId: e.data.reservationId } },
            events: (next) => [
              PaymentRequested.create(
                { orderId: next._id, customerId: next.customerId, amount: next.total, paymentTokenRef: ref, idempotencyKey: `pay:${next._id}` },
                { aggregateId: next._id, ...metaOf(e) },
              ),
            ],
          };
        };
        await step(deps, e.data.orderId, decide);
        if (legacyToken) {
          legacyRef = await deps.paymentTokens.keep(e.data.orderId, legacyToken);
          await step(deps, e.data.orderId, decide);
        }
      },
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
      handle: async (e) => {
        let rejected = null as { mismatches: PaymentMismatch[]; expected: OrderState['total']; status: OrderState['status'] } | null;
        await step(deps, e.data.orderId, (s) => {
          const decision = decideAuthorization(s, e.data);
          rejected = decision.kind === 'reject' ? { mismatches: decision.mismatches, expected: s.total, status: s.status } : null;
          if (decision.kind !== 'confirm') return null;
          const at = new Date().toISOString();
          return {
            change: { type: 'OrderConfirmed', at, data: { paymentId: e.data.paymentId } },
            events: (next) => [OrderConfirmed.create({ orderId: next._id, customerId: next.customerId, lines: next.lines, total: next.total, confirmedAt: at }, { aggregateId: next._id, ...metaOf(e) })],
          };
        });
        if (rejected) reportMismatch(deps, e, rejected);
      },
    }),
    startConsumer({
      ...common,
      name: 'orders-saga',
      contract: PaymentDeclined,
      handle: (e) => step(deps, e.data.orderId, cancellation('PAYMENT_DECLINED', metaOf(e))),
    }),
  ]);
}
