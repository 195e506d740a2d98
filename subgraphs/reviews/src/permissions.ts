import { allow, isAuthenticated, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Mutation: { addReview: isAuthenticated },
  Product: allow,
  Customer: allow,
  Rating: allow,
  Review: allow,
  ReviewConnection: allow,
  ReviewEdge: allow,
  PageInfo: allow,
  UserError: allow,
  AddReviewPayload: allow,
};
