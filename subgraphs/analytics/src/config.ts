import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type AnalyticsConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadAnalyticsConfig(env: NodeJS.ProcessEnv): AnalyticsConfig {
  return loadServiceConfig('analytics', 4009, env);
}
