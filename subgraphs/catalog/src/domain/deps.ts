import type { Committer } from '@commerce/events';
import type { CatalogModels } from '../model/product.model.ts';
import type { CatalogIndex } from './catalog-index.ts';

/** What the catalog's use cases need; built once in index.ts. */
export interface CatalogDeps {
  models: CatalogModels;
  committer: Committer;
  index: CatalogIndex;
  storeCurrency: string;
}

/** Tracing metadata a command passes on to the events it causes. */
export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}

/** How often a command re-reads and retries after losing a version race. */
