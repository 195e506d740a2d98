import { allow, isAdmin, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * Sessions are anonymous: anyone may ask for a session's or a product's list and for trending.
 * A customer's list is theirs (or an admin's): the resolver checks which customer.
 */
export const permissions: IRules = {
  Query: { recommendedForSession: allow, trending: allow, recommendationStats: isAdmin },
  Product: { id: allow, recommendations: allow },
  Customer: { id: allow, recommended: isAuthenticated },
  RecommendationList: allow,
  RecommendedProduct: allow,
  RecommendationStats: allow,
  RecommendationArmStats: allow,
  RecommendationConversion: allow,
  RecommendationModelStats: allow,
};
