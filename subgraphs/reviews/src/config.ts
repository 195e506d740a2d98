import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type ReviewsConfig = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function loadReviewsConfig(env: NodeJS.ProcessEnv): ReviewsConfig {
  return loadServiceConfig('reviews', 4007, env);
}
