import type { BaseContext } from '@commerce/platform';
import type { Loaders } from './loaders.ts';

export interface Context extends BaseContext {
  loaders: Loaders;
}
