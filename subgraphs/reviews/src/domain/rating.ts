import { ReviewAdded } from '@commerce/events/contracts';
import { startPeriodic, type Periodic } from '@commerce/platform';
import type { CommandMeta, ReviewsDeps } from './deps.ts';
import { countReview, RATING_COLLECTION, type RatingAggregate, type ReviewRecord } from './review.ts';

/**
 * Counts a stored review in its product's rating aggregate through `committer.update`: the
 * outbox entry `product_ratings:<productId>:<version>` is the claim, so of N concurrent writers
 * each commits exactly one version (losers re-decide on the winner's state) and no increment is
 * lost — on FerretDB too, where `$inc` under concurrency is not safe. The commit carries
 * ReviewAdded, published by the outbox relay.
 *
 * Crash safety: addReview writes a `rating_pending` marker before the review and deletes it after
 * counting. The repair sweep counts what a crashed writer left behind; `countReview` skips a
 * review the aggregate already lists in `applied`, so nothing is counted twice.
 */
export async function countInRating(deps: ReviewsDeps, review: ReviewRecord, meta: CommandMeta): Promise<'counted' | 'already' | 'contended'> {
  const result = await deps.committer.update<RatingAggregate, null>(
    RATING_COLLECTION,
    review.productId,
    (current) => {
      const next = countReview(current, review);
      if (!next) return { done: null };
      const event = ReviewAdded.create(
        { reviewId: review._id, productId: review.productId, customerId: review.customerId, rating: review.rating, createdAt: review.createdAt.toISOString() },
        { aggregateId: review.productId, correlationId: meta.requestId, ...(meta.traceparent ? { traceparent: meta.traceparent } : {}) },
      );
      return { next, events: [event] };
    },
    { maxAttempts: 200 },
  );
  if (result.status === 'contended') {
    // the marker stays: the repair sweep counts it later
    deps.logger.warn({ reviewId: review._id, productId: review.productId }, 'rating aggregate contended; left to the repair sweep');
    return 'contended';
  }
  await deps.collections.pending.deleteOne({ _id: review._id });
  if (result.status === 'committed') deps.invalidateResponseCache?.();
  return result.status === 'committed' ? 'counted' : 'already';
}

/** Counts reviews whose writer stopped between storing and counting them. Returns how many it handled. */
export async function repairPendingRatings(deps: ReviewsDeps, now = Date.now()): Promise<number> {
  const stale = await deps.collections.pending.find({ at: { $lt: new Date(now - deps.ratingRepairGraceMs) } }).limit(500).toArray();
  for (const marker of stale) {
    const review = await deps.collections.reviews.findOne({ _id: marker._id });
    if (!review) {
      // the review insert never happened (or lost to a duplicate): nothing to count
      await deps.collections.pending.deleteOne({ _id: marker._id });
      continue;
    }
    const outcome = await countInRating(deps, review, { requestId: `rating-repair:${marker._id}` });
    if (outcome === 'counted') deps.logger.warn({ reviewId: review._id }, 'rating repair counted an interrupted review');
  }
  return stale.length;
}

/** Runs the repair sweep periodically until stopped. */
export function startRatingRepair(deps: ReviewsDeps, everyMs: number): Periodic<number> {
  return startPeriodic({ everyMs, run: () => repairPendingRatings(deps), logger: deps.logger, what: 'rating repair sweep' });
}
