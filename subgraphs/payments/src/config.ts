import { z } from 'zod';
import { ConfigError, loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface PaymentsConfig extends ServiceConfig {
  /** which payment provider adapter to use ("test": the built-in test provider, the only one so far) */
  provider: 'test';
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
  PAYMENTS_PROVIDER: z.enum(['test']).default('test'),
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
  return {
    ...base,
    provider: own.PAYMENTS_PROVIDER,
    providerDelayMs: own.PAYMENTS_PROVIDER_DELAY_MS,
    operationLeaseMs: own.PAYMENTS_OPERATION_LEASE_MS,
  };
}
