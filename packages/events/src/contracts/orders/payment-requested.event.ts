import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * Stock is held; the saga asks payments to authorize. `paymentToken` is a provider token
 * (e.g. tok_visa), never card data. `idempotencyKey` makes the authorization happen once.
 */
export const PaymentRequested = defineEvent(
  'commerce.orders.payment-requested.v1',
  z.object({ orderId: z.string(), customerId: z.string(), amount: moneySchema, paymentToken: z.string(), idempotencyKey: z.string() }),
);
