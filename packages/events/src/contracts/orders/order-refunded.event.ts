import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * The order recorded money paid back to its customer (one `payment-refunded` of payments, counted
 * once per `refundId`): `amount` is this refund, `refundedTotal` everything refunded on the order
 * so far. Also what keeps the orders read model current when a refund changes nothing else.
 */
export const OrderRefunded = defineEvent(
  'commerce.orders.order-refunded.v1',
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    refundId: z.string(),
    amount: moneySchema,
    refundedTotal: moneySchema,
    refundedAt: z.string().datetime(),
  }),
);
