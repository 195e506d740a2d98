import { allow, isAdmin, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * Anyone may track (anonymous shoppers too); forgetting is for the signed-in customer; the
 * figures are for admins.
 */
export const permissions: IRules = {
  Query: { analyticsSeries: isAdmin, analyticsFunnel: isAdmin, topProducts: isAdmin, trendingProducts: isAdmin },
  Mutation: { trackEvents: allow, forgetMyActivity: isAuthenticated },
  TrackEventsPayload: allow,
  ForgetActivityPayload: allow,
  AnalyticsPoint: allow,
  AnalyticsFunnel: allow,
  ProductCount: allow,
  TrendingProduct: allow,
  Product: allow,
  UserError: allow,
};
