/**
 * Per-request DataLoaders: none. Every list is computed from the in-memory recommender (fed by
 * events, see events/model-feed.ts): a page of N products with their recommendations costs no
 * database read at all. Products in a list are references; the catalog resolves them (batched).
 */
export type Loaders = Record<string, never>;

export function createLoaders(): Loaders {
  return {};
}
