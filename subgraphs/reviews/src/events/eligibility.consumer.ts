import { startConsumer, type EventBus, type RunningConsumer } from '@commerce/events';
import { OrderCancelled, OrderConfirmed } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import type { Db } from 'mongodb';
import type { ReviewsDeps } from '../domain/deps.ts';
import { recordCancelledOrder, recordConfirmedOrder } from '../domain/eligibility.ts';

/**
 * Review eligibility from the checkout saga, with two durable consumers named `<name>--…`
 * (default name `reviews-eligibility`): `order-confirmed` grants, `order-cancelled` revokes.
 * Both handlers are idempotent and order-independent (see domain/eligibility.ts).
 */
export async function startEligibilityConsumers(opts: {
  bus: EventBus;
  db: Db;
  logger: Logger;
  deps: ReviewsDeps;
  name: string;
}): Promise<RunningConsumer[]> {
  const { bus, db, logger, deps, name } = opts;
  const confirmed = await startConsumer({ bus, db, logger, name, contract: OrderConfirmed, handle: (e) => recordConfirmedOrder(deps, e.data) });
  try {
    const cancelled = await startConsumer({ bus, db, logger, name, contract: OrderCancelled, handle: (e) => recordCancelledOrder(deps, e.data) });
    return [confirmed, cancelled];
  } catch (err) {
    await confirmed.stop();
    throw err;
  }
}
