import { z } from 'zod';
import { ConfigError, loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface PaymentsConfig extends ServiceConfig {
  /** which payment provider adapter to use ("test": the built-in test provider; "stripe": Stripe's API) */
  provider: 'test' | 'stripe';
  /** the Stripe adapter's settings (provider "stripe" only); never logged */
  stripe: { apiKey: string; webhookSecret: string; apiBase: string | undefined } | null;
  /** artificial latency of every provider call in ms (tests simulate a slow provider with it) */
  providerDelayMs: number;
  /**
   * How long a claimed provider operation (authorize, capture, void, refund) is its claimer's
   * business. Another instance takes an operation over only when its claim is older than this
   * (the claimer died); keep it above the longest provider call.
   */
  operationLeaseMs: number;
}

const paymentsEnv = z.object({
  PAYMENTS_PROVIDER: z.enum(['test', 'stripe']).default('test'),
  STRIPE_API_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  PAYMENTS_PROVIDER_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  PAYMENTS_OPERATION_LEASE_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  PAYMENTS_ALLOW_TEST_PROVIDER: z.enum(['true', 'false']).default('false'),
});

/** Parsed once at start; nothing else reads process.env. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv): PaymentsConfig {
  const base = loadServiceConfig('payments', 4006, env);
  const own = parseEnv(paymentsEnv, env);
  // the test provider confirms payments without taking money: a production deployment must name
  // itself a staging channel to run it (until a real provider adapter is configured)
  if (base.nodeEnv === 'production' && own.PAYMENTS_PROVIDER === 'test' && own.PAYMENTS_ALLOW_TEST_PROVIDER !== 'true') {
    throw new ConfigError(
      'invalid configuration:\n  PAYMENTS_PROVIDER: the test provider moves no money and is refused in production; set PAYMENTS_ALLOW_TEST_PROVIDER=true only for a staging channel',
    );
  }
  let stripe: PaymentsConfig['stripe'] = null;
  if (own.PAYMENTS_PROVIDER === 'stripe') {
    const problems: string[] = [];
    // the key formats too: a placeholder (REPLACE_ME) must stop the start, not run with a secret anyone can guess
    if (!own.STRIPE_API_KEY || !/^(sk|rk)_\w+$/.test(own.STRIPE_API_KEY)) problems.push('STRIPE_API_KEY: required with PAYMENTS_PROVIDER=stripe (a secret key sk_… or a restricted key rk_…)');
    if (!own.STRIPE_WEBHOOK_SECRET || !/^whsec_\w+$/.test(own.STRIPE_WEBHOOK_SECRET)) problems.push('STRIPE_WEBHOOK_SECRET: required with PAYMENTS_PROVIDER=stripe (the endpoint\'s signing secret whsec_…): unsigned webhooks are never accepted');
    if (base.nodeEnv === 'production' && own.STRIPE_API_BASE && !own.STRIPE_API_BASE.startsWith('https:')) problems.push('STRIPE_API_BASE: must be https in production');
    if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
    stripe = { apiKey: own.STRIPE_API_KEY!, webhookSecret: own.STRIPE_WEBHOOK_SECRET!, apiBase: own.STRIPE_API_BASE };
  }
  return {
    ...base,
    provider: own.PAYMENTS_PROVIDER,
    stripe,
    providerDelayMs: own.PAYMENTS_PROVIDER_DELAY_MS,
    operationLeaseMs: own.PAYMENTS_OPERATION_LEASE_MS,
  };
}
