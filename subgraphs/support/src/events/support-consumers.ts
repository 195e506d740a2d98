import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type EventContract, type EventOf, type RunningConsumer } from '@commerce/events';
import {
  EventDeadLettered,
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentDeclined,
  PaymentRefunded,
  PaymentRefundRejected,
  SatisfactionRated,
  StockReservationFailed,
  TicketOpened,
  TicketResolved,
} from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { SupportDeps } from '../domain/deps.ts';
import { recordFigures, recordProductTicketFor } from '../domain/record-figures.ts';
import { recordOrderFact, recordPaymentDecline } from '../domain/system-tickets.ts';

/**
 * What support consumes (durables `support-orders--…` and `support-figures--…`):
 *
 * - orders: order-placed, order-confirmed, order-cancelled (TIMEOUT opens a ticket; PAYMENT_DECLINED
 *   counts toward the customer's declines)
 * - payments: payment-authorized, payment-declined, payment-captured, payment-refunded,
 *   payment-refund-rejected (settle refunds asked for from tickets)
 * - inventory: stock-reservation-failed (after the payment was authorized, it opens a ticket)
 * - platform: event-dead-lettered (a parked event about an order opens a ticket)
 * - support's own ticket-resolved, satisfaction-rated (figures) and ticket-opened (product flags)
 *
 * Every handler is idempotent (facts and notes are recorded once by id); a handler that throws
 * is redelivered with backoff.
 */
export const RETRY_BACKOFF_MS = [200, 1000, 3000, 10_000];

export async function startSupportConsumers(opts: { bus: EventBus; db: Db; logger: Logger; deps: SupportDeps }): Promise<RunningConsumer[]> {
  const { bus, db, logger, deps } = opts;
  const started: RunningConsumer[] = [];
  const on = async <C extends EventContract>(name: string, contract: C, handle: (e: EventOf<C>) => Promise<unknown>) => {
    started.push(await startConsumer({ bus, db, logger, name, contract, maxDeliver: 8, backoffMs: RETRY_BACKOFF_MS, handle: async (e) => void (await handle(e)) }));
  };
  const orders = 'support-orders';
  try {
    await on(orders, OrderPlaced, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'placed', customerId: e.data.customerId, productIds: [...new Set(e.data.lines.map((l) => l.productId))], total: e.data.total }, e));
    await on(orders, OrderConfirmed, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'confirmed', customerId: e.data.customerId }, e));
    await on(orders, OrderCancelled, async (e) => {
      await recordOrderFact(deps, e.data.orderId, { kind: 'cancelled', customerId: e.data.customerId, reason: e.data.reason }, e);
      if (e.data.reason === 'PAYMENT_DECLINED') await recordPaymentDecline(deps, { orderId: e.data.orderId, customerId: e.data.customerId, at: new Date(e.data.cancelledAt) }, e);
    });
    await on(orders, PaymentAuthorized, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'payment-authorized' }, e));
    await on(orders, PaymentDeclined, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'payment-declined', reason: e.data.reason }, e));
    await on(orders, PaymentCaptured, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'payment-captured', amount: e.data.amount }, e));
    await on(orders, PaymentRefunded, (e) =>
      // refunds published before partial refunds existed were a cancelled order's full refund
      recordOrderFact(deps, e.data.orderId, { kind: 'refunded', refundId: e.data.refundId ?? `rf_cancel_${e.data.orderId}`, amount: e.data.amount }, e),
    );
    await on(orders, PaymentRefundRejected, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'refund-rejected', refundId: e.data.refundId, reason: e.data.reason }, e));
    await on(orders, StockReservationFailed, (e) => recordOrderFact(deps, e.data.orderId, { kind: 'stock-failed' }, e));
    await on(orders, EventDeadLettered, async (e) => {
      if (e.data.orderId) await recordOrderFact(deps, e.data.orderId, { kind: 'dead-lettered', eventId: e.data.eventId, eventType: e.data.eventType, consumer: e.data.consumer }, e);
    });
    const figures = 'support-figures';
    await on(figures, TicketResolved, (e) => {
      const opened = new Date(e.data.openedAt).getTime();
      const resolved = new Date(e.data.resolvedAt);
      return recordFigures(deps, resolved, e.data.category, {
        kind: 'resolved',
        ticketId: e.data.ticketId,
        firstResponseSeconds: e.data.firstResponseAt ? Math.max(0, (new Date(e.data.firstResponseAt).getTime() - opened) / 1000) : null,
        resolutionSeconds: Math.max(0, (resolved.getTime() - opened) / 1000),
      });
    });
    await on(figures, SatisfactionRated, (e) => recordFigures(deps, new Date(e.data.ratedAt), e.data.category, { kind: 'rated', ticketId: e.data.ticketId, score: e.data.score }));
    await on(figures, TicketOpened, async (e) => {
      if (e.data.category === 'PRODUCT' && e.data.productId) await recordProductTicketFor(deps, e.data.productId, e.data.ticketId, e);
    });
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
  return started;
}
