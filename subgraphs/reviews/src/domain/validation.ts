import { isId, userError, type UserError } from '@commerce/platform';

/** Input rules of addReview, as userErrors (all problems at once, never exceptions). */
export const LIMITS = { title: 200, body: 5000 } as const;

export interface AddReviewInput {
  productId: string;
  rating: number;
  title: string;
  body?: string | null;
}

export interface ValidReview {
  productId: string;
  rating: number;
  title: string;
  body: string | null;
}

export function validateReviewInput(input: AddReviewInput): { ok: true; value: ValidReview } | { ok: false; errors: UserError[] } {
  const errors: UserError[] = [];
  if (!isId('prod', input.productId)) errors.push(userError('PRODUCT_NOT_FOUND', 'Product not found', ['input', 'productId']));
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    errors.push(userError('INVALID_RATING', 'Rating must be a whole number from 1 to 5', ['input', 'rating']));
  }
  const title = input.title.trim();
  if (title.length === 0) errors.push(userError('INVALID_TITLE', 'Title must not be empty', ['input', 'title']));
  else if (title.length > LIMITS.title) errors.push(userError('INVALID_TITLE', `Title must be at most ${LIMITS.title} characters`, ['input', 'title']));
  const body = (input.body ?? '').trim();
  if (body.length > LIMITS.body) errors.push(userError('INVALID_BODY', `Body must be at most ${LIMITS.body} characters`, ['input', 'body']));
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { productId: input.productId, rating: input.rating, title, body: body.length ? body : null } };
}
