import { allow, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * Carts need no token (anonymous carts); ownership is the domain's rule (`canAccess`): a customer's
 * cart is reported as not found to everyone else.
 */
export const permissions: IRules = {
  Query: { cart: allow },
  Mutation: { createCart: allow, addToCart: allow, updateCartLine: allow, removeCartLine: allow },
  Cart: allow,
  CartLine: allow,
  ProductVariant: allow,
  Money: allow,
  UserError: allow,
  AddToCartPayload: allow,
  UpdateCartLinePayload: allow,
  RemoveCartLinePayload: allow,
};
