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
export async function startRatingsProjection(opts: {
  bus: EventBus;
  committer: Committer;
  ratings: Collection<RatingAggregate>;
  view: RatingsView;
  logger: Logger;
  /** called when a rating changed (the response cache's invalidation) */
  onChange?: () => void;
}): Promise<{ stop(): Promise<void> }> {
  const { view, logger } = opts;
  const changed = (applied: boolean) => applied && opts.onChange?.();
  const stopListening = opts.committer.onCommitted((entry) => {
    if (entry.collection === RATING_COLLECTION) changed(view.apply(entry.state as unknown as RatingSummary));
  });
  const started = Date.now();
  try {
    const tail = await startReadModel({
      bus: opts.bus,
      subject: ReviewAdded.subject,
      logger,
      load: async () => {
        for await (const agg of opts.ratings.find({}, SUMMARY)) view.apply(agg);
      },
      apply: async (raw) => {
        if (raw.type !== ReviewAdded.type) return;
        const agg = await opts.ratings.findOne({ _id: ReviewAdded.parse(raw).data.productId }, SUMMARY);
        if (agg) changed(view.apply(agg));
      },
    });
    logger.info({ products: view.size, ms: Date.now() - started }, 'ratings read model loaded');
    return {
      async stop() {
        stopListening();
        await tail.stop();
      },
    };
  } catch (err) {
    stopListening();
    throw err;
  }
}
