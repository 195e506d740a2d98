import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

export const orderLineSchema = z.object({
  productId: z.string(),
  variantId: z.string(),
  sku: z.string(),
  title: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
});

/** An order was placed from a cart; the checkout saga starts (inventory reserves its lines). */
export const OrderPlaced = defineEvent(
  'commerce.orders.order-placed.v1',
  z.object({ orderId: z.string(), customerId: z.string(), cartId: z.string(), lines: z.array(orderLineSchema).min(1), total: moneySchema, placedAt: z.string().datetime() }),
);
