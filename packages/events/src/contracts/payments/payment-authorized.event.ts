import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/** The provider authorized the amount. Only brand and last4 of the card are ever kept. */
export const PaymentAuthorized = defineEvent(
  'commerce.payments.payment-authorized.v1',
  z.object({ orderId: z.string(), paymentId: z.string(), amount: moneySchema, brand: z.string(), last4: z.string().regex(/^\d{4}$/) }),
);
