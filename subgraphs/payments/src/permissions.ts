import { allow, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * `Order.payment` needs a signed-in caller; the resolver then lets the order's customer and
 * admins through and answers FORBIDDEN to anyone else (domain/payment.ts canReadPayment).
 */
export const permissions: IRules = {
  Order: { id: allow, payment: isAuthenticated },
  Payment: allow,
  Money: allow,
};
