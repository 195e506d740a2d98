import { loadServiceConfig, type ServiceConfig } from '@commerce/platform';

export type __Name__Config = ServiceConfig;

/** Parsed once at start; add this subgraph's own keys with parseEnv and a zod schema. */
export function load__Name__Config(env: NodeJS.ProcessEnv): __Name__Config {
  return loadServiceConfig('__name__', __PORT__, env);
}
