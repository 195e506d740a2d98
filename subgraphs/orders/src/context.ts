import type { BaseContext } from '@commerce/platform';
import type { OrdersDeps } from './domain/deps.ts';
import type { Loaders } from './loaders.ts';

export interface Context extends BaseContext {
  deps: OrdersDeps;
  loaders: Loaders;
}
