import { fail, isDuplicateKeyError, newId, ok, userError, type Result } from '@commerce/platform';
import type { CommandMeta, ReviewsDeps } from './deps.ts';
import { isEligible } from './eligibility.ts';
import { countInRating } from './rating.ts';
import type { ReviewRecord } from './review.ts';
import { validateReviewInput, type AddReviewInput } from './validation.ts';

/**
 * A customer reviews a product: input rules → eligibility (a CONFIRMED order containing it) →
 * the unique (customerId, productId) insert decides ALREADY_REVIEWED (race-safe: of concurrent
 * attempts exactly one inserts) → the review is counted in the product's rating.
 */
export async function addReview(deps: ReviewsDeps, customerId: string, input: AddReviewInput, meta: CommandMeta): Promise<Result<ReviewRecord>> {
  const valid = validateReviewInput(input);
  if (!valid.ok) return fail(...valid.errors);
  const { productId, rating, title, body } = valid.value;

  if (!(await isEligible(deps, customerId, productId))) {
    return fail(userError('NOT_ELIGIBLE', 'Only customers with a confirmed order containing this product may review it', ['input', 'productId']));
  }

  const review: ReviewRecord = { _id: newId('rev'), productId, customerId, rating, title, body, createdAt: new Date() };
  // marker first: if this process stops before the review is counted, the repair sweep counts it
  await deps.collections.pending.insertOne({ _id: review._id, productId, at: review.createdAt });
  try {
    await deps.collections.reviews.insertOne(review);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // the marker stays: the sweep counts the review if it was stored
    await deps.collections.pending.deleteOne({ _id: review._id });
    return fail(userError('ALREADY_REVIEWED', 'You have already reviewed this product', ['input', 'productId']));
  }
  await countInRating(deps, review, meta);
  return ok(review);
}
