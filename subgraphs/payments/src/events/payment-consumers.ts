import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import { OrderCancelled, OrderConfirmed, PaymentRequested, PaymentRequestedV1, RefundRequested } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import { cancelPayment } from '../domain/cancel-payment.ts';
import { capturePayment } from '../domain/capture-payment.ts';
import type { PaymentsDeps } from '../domain/deps.ts';
import { refundPayment } from '../domain/refund-payment.ts';
import { requestPayment } from '../domain/request-payment.ts';

/**
 * What payments consumes, one durable consumer per event (names `<group>-<purpose>`, group
 * `payments` by default):
 *
 * - `payments-authorizations`  orders.payment-requested (v2: the token's claim check; v1 with the
 *                              token itself, only while one may still be retained) → authorize once → PaymentAuthorized | PaymentDeclined
 * - `payments-cancellations`   orders.order-cancelled   → void or refund; a later request is declined
 * - `payments-captures`        orders.order-confirmed   → capture → PaymentCaptured
 * - `payments-refunds`         support.refund-requested → PaymentRefunded | PaymentRefundRejected
 *
 * Every handler is idempotent per order (the payment aggregate's state decides; a refund by its
 * refund id). A handler that throws (provider down, an operation in progress elsewhere) is
 * redelivered with backoff; the backoff runs longer than the operation lease, so a takeover after
 * a crash happens before a message would be parked.
 */
export const RETRY_BACKOFF_MS = [200, 1000, 3000, 10_000, 30_000];
export const MAX_DELIVER = 10;

export interface PaymentConsumersOptions {
  bus: EventBus;
  db: Db;
  logger: Logger;
  deps: PaymentsDeps;
}

export async function startPaymentConsumers(opts: PaymentConsumersOptions): Promise<RunningConsumer[]> {
  const { bus, db, logger, deps } = opts;
  const common = { bus, db, logger, backoffMs: RETRY_BACKOFF_MS, maxDeliver: MAX_DELIVER };
  const started: RunningConsumer[] = [];
  try {
    started.push(
      await startConsumer({
        ...common,
        name: 'payments-authorizations',
        contract: PaymentRequested,
        handle: async (e) => {
          await requestPayment(deps, e.data, e);
        },
      }),
    );
    started.push(
      // superseded (finding 7): answers a v1 an orders instance of the previous release published; remove 7 days after the deploy
      await startConsumer({
        ...common,
        name: 'payments-authorizations',
        contract: PaymentRequestedV1,
        handle: async (e) => {
          await requestPayment(deps, e.data, e);
        },
      }),
    );
    started.push(
      await startConsumer({
        ...common,
        name: 'payments-cancellations',
        contract: OrderCancelled,
        handle: async (e) => {
          await cancelPayment(deps, e.data, e);
        },
      }),
    );
    started.push(
      await startConsumer({
        ...common,
        name: 'payments-captures',
        contract: OrderConfirmed,
        handle: async (e) => {
          await capturePayment(deps, e.data, e);
        },
      }),
    );
    started.push(
      await startConsumer({
        ...common,
        name: 'payments-refunds',
        contract: RefundRequested,
        handle: async (e) => {
          await refundPayment(deps, e.data, e);
        },
      }),
    );
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
  return started;
}
