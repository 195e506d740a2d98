import { allow, isAuthenticated, type IRules } from '@commerce/platform';

/**
 * Who may do what. The fallback is deny: a new type or field is closed until listed here.
 * `Order.payment` needs a signed-in caller. Whichever way a payment is reached (`Order.payment`,
 * or a `Payment` reference from another subgraph), its resolver then lets through only whom
 * domain/payment.ts `canReadPayment` allows (the order's customer and admins) and answers
 * FORBIDDEN to anyone else; its fields and refunds are open to whoever got the payment.
 */
export const permissions: IRules = {
  Order: { id: allow, payment: isAuthenticated },
  Payment: allow,
  PaymentRefund: allow,
  Money: allow,
};
