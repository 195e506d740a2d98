import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type PaymentsConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv): PaymentsConfig {
  return loadServiceConfig('payments', 4006, env);
}
