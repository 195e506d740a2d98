import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * The provider authorized the amount. Only brand and last4 of the card are ever kept.
 * `paymentId` is the payment of the order (`paymentIdOfOrder`) and `amount` what the order's
 * `payment-requested` asked for: the orders saga confirms an order only on an authorization
 * that matches it in both.
 */
export const PaymentAuthorized = defineEvent(
  'commerce.payments.payment-authorized.v1',
  z.object({ orderId: z.string(), paymentId: z.string(), amount: moneySchema, brand: z.string(), last4: z.string().regex(/^\d{4}$/) }),
);

/**
 * The id payments gives the payment of an order: one payment per order, derived from the order
 * id (`pay_<orderId>`), so every event about an order meets the same payment and orders knows
 * which payment id to expect before any answer arrives.
 */
export function paymentIdOfOrder(orderId: string): string {
  return `pay_${orderId}`;
}
