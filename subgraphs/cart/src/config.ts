import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type CartConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadCartConfig(env: NodeJS.ProcessEnv): CartConfig {
  return loadServiceConfig('cart', 4005, env);
}
