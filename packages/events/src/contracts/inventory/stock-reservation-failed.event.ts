import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** An order could not be reserved; nothing of it is held. */
export const StockReservationFailed = defineEvent(
  'commerce.inventory.stock-reservation-failed.v1',
  z.object({
    orderId: z.string(),
    reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_VARIANT']),
    lines: z.array(z.object({ variantId: z.string(), requested: z.number().int(), available: z.number().int() })),
  }),
);
