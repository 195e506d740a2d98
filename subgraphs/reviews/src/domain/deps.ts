import type { Committer } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { ReviewsCollections } from '../model/review.model.ts';

/** What the reviews use cases need; built once in index.ts. */
export interface ReviewsDeps {
  collections: ReviewsCollections;
  committer: Committer;
  logger: Logger;
  /** a review not counted in its rating after this long is counted by the repair sweep */
  ratingRepairGraceMs: number;
  /** retires the router's cached public responses (a product's rating and reviews changed) */
  invalidateResponseCache?: () => void;
}

/** Tracing metadata a command passes on to the events it causes. */
export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}
