import { allow, isAuthenticated, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Query: { order: isAuthenticated },
  Mutation: { placeOrder: isAuthenticated, cancelOrder: isAuthenticated },
  // Customer.orders, Query.order and Order references (_entities) are further limited to the
  // customer themself, support agents and admins (resolvers: mayRead).
  Customer: { id: allow, orders: isAuthenticated },
  Order: allow,
  OrderLine: allow,
  OrderRefund: allow,
  OrderConnection: allow,
  OrderEdge: allow,
  PageInfo: allow,
  Money: allow,
  UserError: allow,
  PlaceOrderPayload: allow,
  CancelOrderPayload: allow,
};
