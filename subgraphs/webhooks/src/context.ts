import type { BaseContext } from '@commerce/platform';
import type { WebhooksDeps } from './domain/deps.ts';
import type { Loaders } from './loaders.ts';

export interface Context extends BaseContext {
  loaders: Loaders;
  deps: WebhooksDeps;
}
