import type { Db } from 'mongodb';
import { startConsumer, type EventBus, type EventContract, type EventOf, type RunningConsumer } from '@commerce/events';
import { CartLineAdded, InteractionsRecorded, OrderCancelled, OrderConfirmed, ReviewAdded } from '@commerce/events/contracts';
import type { Logger } from '@commerce/platform';
import { countFacts } from '../domain/count-facts.ts';
import type { AnalyticsDeps } from '../domain/deps.ts';
import { cartLineFacts, interactionFacts, orderCancelledFacts, orderConfirmedFacts, reviewAddedFacts, type Fact } from '../domain/facts.ts';

/**
 * What analytics consumes, all under the durable prefix `analytics-counts`
 * (`<db>_analytics-counts--<event>`):
 *
 * - its own interactions-recorded (views, searches, recommendation impressions and clicks),
 * - cart: cart-line-added (add-to-carts),
 * - orders: order-confirmed (orders, revenue, units per product) and order-cancelled,
 * - reviews: review-added (reviews written).
 *
 * Each message is turned into facts and counted by one Redis script that counts each fact once
 * (domain/count-facts.ts), so the handler is idempotent however often it runs: the consumer
 * stores no claim per event (`idempotentHandler`), which keeps ingest off the database. A failure (Redis down)
 * naks the message and it is retried with backoff, then parked.
 */
export const CONSUMER_NAME = 'analytics-counts';
export const RETRY_BACKOFF_MS = [200, 1000, 3000, 10_000];

export async function startAnalyticsConsumers(opts: { bus: EventBus; db: Db; logger: Logger; deps: AnalyticsDeps }): Promise<RunningConsumer[]> {
  const { bus, db, logger, deps } = opts;
  const started: RunningConsumer[] = [];
  const on = async <C extends EventContract>(contract: C, facts: (e: EventOf<C>) => Fact[], sessionOf?: (e: EventOf<C>) => string) => {
    started.push(
      await startConsumer({
        bus, db, logger, name: CONSUMER_NAME, contract, maxDeliver: 8, backoffMs: RETRY_BACKOFF_MS, idempotentHandler: true,
        handle: async (e, { seq }) => void (await countFacts(deps, facts(e), sessionOf && seq ? { sessionId: sessionOf(e), seq } : undefined)),
      }),
    );
  };
  try {
    // a session's interaction messages are remembered by sequence: forgetting erases them from the stream
    await on(InteractionsRecorded, (e) => interactionFacts(e.data), (e) => e.data.sessionId);
    await on(CartLineAdded, (e) => cartLineFacts(e.id, e.data));
    await on(OrderConfirmed, (e) => orderConfirmedFacts(e.id, e.data));
    await on(OrderCancelled, (e) => orderCancelledFacts(e.id, e.data));
    await on(ReviewAdded, (e) => reviewAddedFacts(e.id, e.data));
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
  return started;
}
