import { z } from 'zod';
import { loadServiceConfig, parseEnv, type ServiceConfig } from '@commerce/platform';

export interface ReviewsConfig extends ServiceConfig {
  /** how often the rating repair sweep runs */
  ratingRepairEveryMs: number;
  /** how old an uncounted review must be before the sweep counts it */
  ratingRepairGraceMs: number;
}

const reviewsEnv = z.object({
  REVIEWS_RATING_REPAIR_EVERY_MS: z.coerce.number().int().min(100).default(10_000),
  REVIEWS_RATING_REPAIR_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

/** Parsed once at start. */
export function loadReviewsConfig(env: NodeJS.ProcessEnv): ReviewsConfig {
  const base = loadServiceConfig('reviews', 4007, env);
  const own = parseEnv(reviewsEnv, env);
  return {
    ...base,
    ratingRepairEveryMs: own.REVIEWS_RATING_REPAIR_EVERY_MS,
    ratingRepairGraceMs: own.REVIEWS_RATING_REPAIR_GRACE_MS,
  };
}
