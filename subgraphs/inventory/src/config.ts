import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type InventoryConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadInventoryConfig(env: NodeJS.ProcessEnv): InventoryConfig {
  return loadServiceConfig('inventory', 4004, env);
}
