import { ReviewAdded } from '@commerce/events/contracts';
import { startReadModel, type Committer, type EventBus } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { Collection } from 'mongodb';
import { RATING_COLLECTION, type RatingAggregate } from '../domain/review.ts';
import type { RatingsView, RatingSummary } from '../domain/ratings-view.ts';

const SUMMARY = { projection: { applied: 0 } }; // the counted-review ids are the writer's business

/**
 * Keeps this instance's RatingsView current: its own rating commits at once, other instances'
 * when their review-added event arrives (the event names the product; its aggregate is read by
 * `_id`), everything else from `product_ratings` at start.
 */
export function startRatingsProjection(opts: {
  bus: EventBus;
  committer: Committer;
  ratings: Collection<RatingAggregate>;
  view: RatingsView;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { view } = opts;
  return startReadModel({
    bus: opts.bus,
    subject: ReviewAdded.subject,
    logger: opts.logger,
    own: { committer: opts.committer, collection: RATING_COLLECTION, apply: (state) => view.apply(state as unknown as RatingSummary) },
    load: async () => {
      for await (const agg of opts.ratings.find({}, SUMMARY)) view.apply(agg);
    },
    apply: async (raw) => {
      if (raw.type !== ReviewAdded.type) return;
      const agg = await opts.ratings.findOne({ _id: ReviewAdded.parse(raw).data.productId }, SUMMARY);
      if (agg) view.apply(agg);
    },
    describe: { name: 'ratings', size: () => view.size },
  });
}
