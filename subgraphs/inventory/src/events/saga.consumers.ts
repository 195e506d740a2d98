import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@commerce/events/contracts';
import { startConsumer, type EventBus, type EventEnvelope, type RunningConsumer } from '@commerce/events';
import type { Db } from 'mongodb';
import { RetryLaterError, type Cause, type InventoryDeps } from '../domain/deps.ts';
import type { Trigger } from '../domain/reservation.ts';
import { applyTrigger, type TriggerOutcome } from '../domain/run-reservation.ts';

/** Name of the durable consumers (`inventory-reservations--orders-order-placed-v1`, …). */
export const CONSUMER_NAME = 'inventory-reservations';

/** An order confirmed after its reservation expired, and the stock is gone: parked for an operator. */
export class ReReserveFailedError extends Error {
  override name = 'ReReserveFailedError';
}

export interface SagaConsumerOptions {
  deps: InventoryDeps;
  bus: EventBus;
  db: Db;
  /** pull loops per contract in this instance: reservations of different orders run in parallel */
  workers: number;
  maxDeliver: number;
  backoffMs: number[];
}

const causeOf = (e: EventEnvelope): Cause => ({ eventId: e.id, correlationId: e.correlationId, ...(e.traceparent ? { traceparent: e.traceparent } : {}) });

/**
 * Inventory's part of the checkout saga (docs/checkout-saga.md), one durable consumer per event:
 *   order-placed    → reserve every line (all or nothing) → stock-reserved | stock-reservation-failed
 *   order-confirmed → commit the reservation (a sale)     → stock-committed
 *   order-cancelled → release a HELD reservation, or restock a COMMITTED sale → stock-released
 * Idempotent per orderId (the reservation `res_<orderId>` decides); a step that cannot run now
 * throws, so the event is redelivered with backoff and parked after `maxDeliver` attempts.
 */
export async function startSagaConsumers(opts: SagaConsumerOptions): Promise<RunningConsumer[]> {
  const { deps } = opts;
  const log = deps.logger;

  async function run(orderId: string, trigger: Trigger, e: EventEnvelope): Promise<TriggerOutcome> {
    try {
      const outcome = await applyTrigger(deps, orderId, trigger, causeOf(e));
      if (outcome.kind === 'noop') {
        log[outcome.unexpected ? 'warn' : 'debug']({ orderId, event: e.type, reason: outcome.reason }, 'saga event changed nothing');
      }
      return outcome;
    } catch (err) {
      if (err instanceof RetryLaterError) log.info({ orderId, event: e.type, reason: err.message }, 'saga step deferred; the event will be redelivered');
      throw err;
    }
  }

  const common = { bus: opts.bus, db: opts.db, logger: log, name: CONSUMER_NAME, maxDeliver: opts.maxDeliver, backoffMs: opts.backoffMs };
  const startWorker = () => [
      startConsumer({
        ...common,
        contract: OrderPlaced,
        handle: async (e) => {
          await run(e.data.orderId, { kind: 'placed', lines: e.data.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })), correlationId: e.correlationId }, e);
        },
      }),
      startConsumer({
        ...common,
        contract: OrderConfirmed,
        handle: async (e) => {
          const outcome = await run(e.data.orderId, { kind: 'confirmed' }, e);
          const r = outcome.kind === 'settled' ? outcome.reservation : null;
          if (r && r.status === 'RELEASED' && r.failure) {
            // confirmed after the hold expired and the stock is gone: nothing to sell. Retried (stock
            // may come back), then parked as a dead letter for an operator (npm run dead-letters).
            log.error({ orderId: r.orderId, short: r.failure.lines }, 'order confirmed after its reservation expired, and it cannot be reserved again');
            throw new ReReserveFailedError(`order ${r.orderId} confirmed after its reservation expired; out of stock: ${r.failure.lines.map((l) => `${l.variantId} (${l.available}/${l.requested})`).join(', ')}`);
          }
        },
      }),
      startConsumer({
        ...common,
        contract: OrderCancelled,
        handle: async (e) => {
          await run(e.data.orderId, { kind: 'cancelled', correlationId: e.correlationId }, e);
        },
      }),
  ];
  // the first worker of each contract creates its durable; the others join it (queue semantics)
  const running = await Promise.all(startWorker());
  for (let w = 1; w < opts.workers; w++) running.push(...(await Promise.all(startWorker())));
  return running;
}
