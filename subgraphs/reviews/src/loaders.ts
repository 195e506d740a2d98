import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { RatingsView, RatingSummary } from './domain/ratings-view.ts';
import type { ReviewRecord } from './domain/review.ts';
import type { ReviewsCollections } from './model/review.model.ts';

/**
 * Per-request loaders.
 *
 * - `rating`: the rating summaries of every product in the request, from the in-memory read
 *   model. It serves `Product.rating` and also the first page of `Product.reviews` (up to
 *   RECENT_REVIEWS, from the summary's `recent`), so a listing of N products with `rating` and
 *   `reviews(first: 5)` costs no query in this subgraph.
 * - `reviewPage`: deeper pages (`after`, or `first` > RECENT_REVIEWS) — one bounded, indexed
 *   query per product page asked for; a storefront pages one product at a time.
 */
export interface ReviewPageKey {
  productId: string;
  /** page size + 1 (to know whether a next page exists) */
  limit: number;
  /** newest-first position: only reviews with a smaller id */
  afterId: string | null;
}

export interface Loaders {
  rating: DataLoader<string, RatingSummary | null>;
  reviewPage: DataLoader<ReviewPageKey, ReviewRecord[], string>;
}

export function createLoaders(collections: ReviewsCollections, ratings: RatingsView, scope: LoaderScope): Loaders {
  return {
    rating: createLoader(scope, 'rating', async (ids: readonly string[]) => ids.map((id) => ratings.get(id))),
    reviewPage: createLoader(
      scope,
      'reviewPage',
      (keys: readonly ReviewPageKey[]) =>
        Promise.all(
          keys.map((k) =>
            collections.reviews
              .find({ productId: k.productId, ...(k.afterId ? { _id: { $lt: k.afterId } } : {}) })
              .sort({ _id: -1 })
              .limit(k.limit)
              .toArray(),
          ),
        ),
      { cacheKeyFn: (k) => `${k.productId}|${k.limit}|${k.afterId ?? ''}` },
    ),
  };
}
