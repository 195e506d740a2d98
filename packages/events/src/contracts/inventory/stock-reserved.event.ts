import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** Every line of an order is reserved (all or nothing) until `expiresAt`. */
export const StockReserved = defineEvent(
  'commerce.inventory.stock-reserved.v1',
  z.object({
    orderId: z.string(),
    reservationId: z.string(),
    lines: z.array(z.object({ variantId: z.string(), quantity: z.number().int().positive() })),
    expiresAt: z.string().datetime(),
  }),
);
