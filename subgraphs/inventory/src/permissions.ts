import { allow, isAdmin, type IRules } from '@commerce/platform';

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Query: { stockLevels: isAdmin, stockReservation: isAdmin },
  Mutation: { setStock: isAdmin },
  ProductVariant: allow,
  Availability: allow,
  StockLevel: allow, // reachable only through the admin query
  StockReservation: allow, // reachable only through the admin query
  StockReservationLine: allow,
  SetStockPayload: allow,
  UserError: allow,
};
