import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type RecommendationsConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadRecommendationsConfig(env: NodeJS.ProcessEnv): RecommendationsConfig {
  return loadServiceConfig('recommendations', 4010, env);
}
