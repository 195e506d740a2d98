import type { RatingAggregate } from './review.ts';

/** What the storefront reads of a product's rating: the aggregate without its bookkeeping. */
export type RatingSummary = Pick<RatingAggregate, '_id' | 'count' | 'sum' | 'version' | 'recent'>;

/**
 * Every product's rating and newest reviews in memory, so `Product.rating` and the first page of
 * `Product.reviews` on listings and product pages cost no database round trip. Fed by committed
 * rating aggregates (this instance's own commits at once, other instances' through review-added
 * events) and loaded from `product_ratings` at start. The highest version wins.
 */
export class RatingsView {
  private readonly byProduct = new Map<string, RatingSummary>();

  apply(agg: RatingSummary): boolean {
    const known = this.byProduct.get(agg._id);
    if (known && known.version >= agg.version) return false;
    this.byProduct.set(agg._id, { _id: agg._id, count: agg.count, sum: agg.sum, version: agg.version, recent: agg.recent });
    return true;
  }

  /** null until the product's first review */
  get(productId: string): RatingSummary | null {
    return this.byProduct.get(productId) ?? null;
  }

  /** products with at least one review */
  get size(): number {
    return this.byProduct.size;
  }
}
