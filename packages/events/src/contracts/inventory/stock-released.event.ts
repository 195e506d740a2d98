import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** A reservation was given back: its order was cancelled, or it expired. */
export const StockReleased = defineEvent(
  'commerce.inventory.stock-released.v1',
  z.object({ orderId: z.string(), reservationId: z.string(), reason: z.enum(['ORDER_CANCELLED', 'EXPIRED']) }),
);
