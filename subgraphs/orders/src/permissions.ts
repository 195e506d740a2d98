import { allow, isAuthenticated, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  // Customer.orders is further limited to the customer themself or an admin in its resolver.
  Customer: { id: allow, orders: isAuthenticated },
  Order: allow,
  OrderConnection: allow,
  OrderEdge: allow,
  PageInfo: allow,
  Money: allow,
};
