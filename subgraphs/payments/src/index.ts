import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { RunningConsumer } from '@commerce/events';
import { forgetPaymentToken, readPaymentToken } from '@commerce/events/contracts';
import { isMain, loadSubgraphTypeDefs, runMain, startServiceRuntime, startSubgraphServer, type Logger, type RunningService } from '@commerce/platform';
import { loadPaymentsConfig, type PaymentsConfig } from './config.ts';
import type { Context } from './context.ts';
import type { PaymentsDeps } from './domain/deps.ts';
import type { PaymentProvider } from './domain/provider.ts';
import { StripePaymentProvider } from './domain/stripe-provider.ts';
import { TestPaymentProvider } from './domain/test-provider.ts';
import { startPaymentConsumers } from './events/payment-consumers.ts';
import { createLoaders } from './loaders.ts';
import { registerModels } from './model/payment.model.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from './stripe-webhooks.ts';

const typeDefs = loadSubgraphTypeDefs(import.meta.url);

export interface PaymentsOverrides {
  /** replaces the JSON stdout logger */
  logger?: Logger;
  /** emit driver command events (tests count queries per request with CommandCounter) */
  monitorCommands?: boolean;
  /** wraps the configured provider (tests count calls or make it fail) */
  wrapProvider?: (provider: PaymentProvider) => PaymentProvider;
}

export interface PaymentsService extends RunningService {
  config: PaymentsConfig;
  conn: Connection;
  db: Db;
  deps: PaymentsDeps;
  /** the configured provider adapter (before any wrapping) */
  provider: PaymentProvider;
  consumers: RunningConsumer[];
}

function createProvider(config: PaymentsConfig, db: Db): PaymentProvider {
  switch (config.provider) {
    case 'test':
      return new TestPaymentProvider(db, config.providerDelayMs);
    case 'stripe':
      return new StripePaymentProvider({ apiKey: config.stripe!.apiKey, apiBase: config.stripe!.apiBase });
  }
}

/**
 * Composition root: config → db → event bus → outbox relay → provider → consumers → server.
 * Whatever was started is stopped again if a later step fails.
 */
export async function startPayments(env: NodeJS.ProcessEnv = process.env, overrides: PaymentsOverrides = {}): Promise<PaymentsService> {
  const config = loadPaymentsConfig(env);
  const rt = await startServiceRuntime(config, { models: registerModels, ...(overrides.logger ? { logger: overrides.logger } : {}), monitorCommands: overrides.monitorCommands ?? false });
  try {
    const { bus, db, logger } = rt;
    if (config.provider === 'test' && config.nodeEnv === 'production') logger.warn('PAYMENTS_PROVIDER=test in production: no real money moves');
    const provider = createProvider(config, db);
    const deps: PaymentsDeps = {
      committer: rt.committer,
      provider: overrides.wrapProvider ? overrides.wrapProvider(provider) : provider,
      operationLeaseMs: config.operationLeaseMs,
      // the payment-token store orders keeps checkout tokens in (the platform's Redis)
      paymentTokens: { read: (ref, orderId) => readPaymentToken(rt.redis, ref, orderId), forget: (ref, orderId) => forgetPaymentToken(rt.redis, ref, orderId) },
      logger,
    };
    const consumers = await startPaymentConsumers({ bus, db, logger, deps });
    rt.onStop(() => Promise.all(consumers.map((c) => c.stop())));
    const server = await startSubgraphServer<Context>({
      ...rt.server,
      typeDefs,
      resolvers,
      permissions,
      context: (base) => ({ ...base, loaders: createLoaders(db, base.loaderScope) }),
      // Stripe's signed webhooks (provider "stripe" only): verified by the SDK, recorded once,
      // dashboard refunds and cancelled authorizations of cancelled orders applied (stripe-webhooks.ts)
      ...(provider instanceof StripePaymentProvider
        ? { postRoutes: { [STRIPE_WEBHOOK_PATH]: stripeWebhookRoute({ stripe: provider.stripe, webhookSecret: config.stripe!.webhookSecret, db, payments: deps, logger }) } }
        : {}),
    });
    rt.onStop(() => server.stop());
    return { name: 'payments', url: server.url, port: server.port, config, conn: rt.conn, db, deps, provider, consumers, stop: rt.stop };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(() => startPayments());
