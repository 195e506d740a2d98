/**
 * The reviews domain's records. A review is written once and never changed; a product's rating
 * is a separate aggregate, changed only through the outbox committer (version claims).
 */

/** One review as stored (`reviews` collection). Unique per (customerId, productId). */
export interface ReviewRecord {
  /** `rev_…`: starts with its creation time, so ordering by id is newest-first by creation */
  _id: string;
  productId: string;
  customerId: string;
  rating: number;
  title: string;
  body: string | null;
  createdAt: Date;
}

/**
 * Per-product rating aggregate (`product_ratings`, `_id` = productId). Changed only by
 * `committer.update`, one review per version, so `version === count`.
 *
 * - `recent`: the RECENT_REVIEWS newest reviews, newest first — the first page of
 *   `Product.reviews` (up to RECENT_REVIEWS) is served from here, so a listing of N products with
 *   `rating` and `reviews(first: 5)` costs one `$in` query on this collection and none on `reviews`.
 * - `applied`: the ids of the last APPLIED_MEMORY reviews counted, oldest first. It makes counting
 *   idempotent: the crash-repair sweep (and a writer re-deciding after a lost version race) never
 *   counts a review twice.
 */
export interface RatingAggregate {
  _id: string;
  count: number;
  /** sum of all ratings (integers), so the average is exact */
  sum: number;
  version: number;
  recent: ReviewRecord[];
  applied: string[];
}

export const RECENT_REVIEWS = 10;
export const APPLIED_MEMORY = 200;
export const RATING_COLLECTION = 'product_ratings';

/** The API's Rating: mean rounded to 2 decimals; 0 and 0 without reviews. */
export function ratingOf(agg: Pick<RatingAggregate, 'count' | 'sum'> | null | undefined): { average: number; count: number } {
  if (!agg || agg.count === 0) return { average: 0, count: 0 };
  return { average: Math.round((agg.sum / agg.count) * 100) / 100, count: agg.count };
}

/** Newest first: ids start with the creation time in fixed-width base36. */
export const newestFirst = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);

/**
 * Decides the next rating state when `review` is counted: `null` when it already was (idempotent).
 * Pure: the committer calls it again on the winner's state after a lost version race.
 */
export function countReview(current: RatingAggregate | null, review: ReviewRecord): RatingAggregate | null {
  if (current?.applied.includes(review._id)) return null;
  const base: RatingAggregate = current ?? { _id: review.productId, count: 0, sum: 0, version: 0, recent: [], applied: [] };
  return {
    _id: base._id,
    count: base.count + 1,
    sum: base.sum + review.rating,
    version: base.version + 1,
    recent: [...base.recent.filter((r) => r._id !== review._id), review].sort(newestFirst).slice(0, RECENT_REVIEWS),
    applied: [...base.applied, review._id].slice(-APPLIED_MEMORY),
  };
}
