import type { Collection } from 'mongodb';
import type { Committer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { CartRecord } from './cart.ts';
import type { CartReadModel } from './read-model.ts';

/** What the cart's use cases need; built once in index.ts. */
export interface CartDeps {
  carts: Collection<CartRecord>;
  committer: Committer;
  /** prices and availability, fed by catalog and inventory events (no synchronous calls) */
  readModel: CartReadModel;
  /** the store currency */
  currency: string;
  logger: Logger;
}
