import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type OrdersConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadOrdersConfig(env: NodeJS.ProcessEnv): OrdersConfig {
  return loadServiceConfig('orders', 4003, env);
}
