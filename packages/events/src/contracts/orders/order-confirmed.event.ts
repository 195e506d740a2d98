import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';
import { orderLineSchema } from './order-placed.event.ts';

/** Stock reserved and payment authorized: the order stands (inventory commits, payments captures). */
export const OrderConfirmed = defineEvent(
  'commerce.orders.order-confirmed.v1',
  z.object({ orderId: z.string(), customerId: z.string(), lines: z.array(orderLineSchema), total: moneySchema, confirmedAt: z.string().datetime() }),
);
