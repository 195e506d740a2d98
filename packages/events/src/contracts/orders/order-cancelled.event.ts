import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { orderLineSchema } from './order-placed.event.ts';

/**
 * The order ended cancelled. Every participant compensates what it did for this order:
 * inventory releases (or restocks a committed sale), payments voids or refunds.
 */
export const OrderCancelled = defineEvent(
  'commerce.orders.order-cancelled.v1',
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    reason: z.enum(['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'CUSTOMER_REQUEST', 'TIMEOUT']),
    lines: z.array(orderLineSchema),
    wasConfirmed: z.boolean(),
    cancelledAt: z.string().datetime(),
  }),
);
