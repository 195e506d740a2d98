import { Counter, Histogram } from 'prom-client';
import type { RunningConsumer } from '@commerce/events';
import { forgetPaymentToken, keepPaymentToken } from '@commerce/events/contracts';
import { isMain, loadSubgraphTypeDefs, runMain, startPeriodic, startServiceRuntime, startSubgraphServer, type RunningService } from '@commerce/platform';
import { loadOrdersConfig } from './config.ts';
import type { Context } from './context.ts';
import { ORDER_EVENTS, type OrdersDeps } from './domain/deps.ts';
import { cancelTimedOutOrders } from './domain/timeouts.ts';
import { startOrderProjection } from './events/order-projection.ts';
import { startRefundRecorder } from './events/refunds.ts';
import { startSaga } from './events/saga.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/order.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface OrdersService extends RunningService {
  deps: OrdersDeps;
  /** every durable consumer of this instance (tests wait for them to be quiet) */
  consumers: RunningConsumer[];
}

/** Composition root: config → runtime (db, order streams as the outbox) → saga + refunds + projection → server. */
export async function startOrders(env: NodeJS.ProcessEnv = process.env): Promise<OrdersService> {
  const config = loadOrdersConfig(env);
  // the order streams are the outbox, kept forever: they are the event store
  const rt = await startServiceRuntime(config, { models: registerModels, outbox: ORDER_EVENTS, retentionMs: null });
  try {
    const sagaMetrics = {
      outcomes: new Counter({ name: 'saga_outcomes_total', help: 'Checkouts ended, by outcome (confirmed, cancelled) and cancellation reason', labelNames: ['outcome', 'reason'], registers: [rt.metrics.registry] }),
      duration: new Histogram({ name: 'saga_duration_seconds', help: 'From placeOrder to CONFIRMED or CANCELLED', labelNames: ['outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [rt.metrics.registry] }),
      paymentMismatches: new Counter({ name: 'saga_payment_mismatches_total', help: 'payment-authorized events refused for not matching their order, by what did not match (payment_id, amount, currency)', labelNames: ['reason'], registers: [rt.metrics.registry] }),
    };
    // the payment-token store (claim check, see @commerce/events payment-token.ts) in the platform's Redis
    const paymentTokens = {
      keep: (orderId: string, token: string) => keepPaymentToken(rt.redis, orderId, token, config.paymentTokenTtlMs),
      forget: (orderId: string, ref: string) => forgetPaymentToken(rt.redis, ref, orderId),
    };
    const deps: OrdersDeps = { db: rt.db, models: rt.models, committer: rt.committer, logger: rt.logger, cartUrl: config.cartUrl, paymentTokens, sagaMetrics };
    const saga = await startSaga(deps, rt.bus);
    rt.onStop(async () => {
      for (const c of saga) await c.stop();
    });
    const refunds = await startRefundRecorder(deps, rt.bus);
    rt.onStop(() => refunds.stop());
    const projection = await startOrderProjection(deps, rt.bus);
    rt.onStop(() => projection.stop());
    const timeouts = startPeriodic({ everyMs: config.sweepMs, run: () => cancelTimedOutOrders(deps, config.sagaTimeoutMs), logger: rt.logger, what: 'timeout sweep' });
    rt.onStop(() => timeouts.stop());
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, deps, loaders: createLoaders(deps, base.loaderScope) }),
    });
    rt.onStop(() => server.stop());
    return { name: 'orders', url: server.url, port: server.port, deps, consumers: [...saga, refunds, projection], stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startOrders());
