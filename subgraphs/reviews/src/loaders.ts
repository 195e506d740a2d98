import type DataLoader from 'dataloader';
import { createLoader, type LoaderScope } from '@commerce/platform';
import type { RatingAggregate, ReviewRecord } from './domain/review.ts';
import type { ReviewsCollections } from './model/review.model.ts';

/**
 * Per-request loaders.
 *
 * - `rating`: the rating aggregates of every product in the request, one `find({_id: {$in}})` on
 *   `product_ratings`. It serves `Product.rating` and also the first page of `Product.reviews`
 *   (up to RECENT_REVIEWS, from the aggregate's `recent`), so a listing of N products with
 *   `rating` and `reviews(first: 5)` costs one query in this subgraph, none on `reviews`.
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
  rating: DataLoader<string, RatingAggregate | null>;
  reviewPage: DataLoader<ReviewPageKey, ReviewRecord[], string>;
}

export function createLoaders(collections: ReviewsCollections, scope: LoaderScope): Loaders {
  return {
    rating: createLoader(scope, 'rating', async (ids: readonly string[]) => {
      const docs = await collections.ratings.find({ _id: { $in: [...ids] } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
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
