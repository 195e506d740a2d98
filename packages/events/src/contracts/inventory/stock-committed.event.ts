import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** A confirmed order's reservation became a sale: on hand and reserved both went down. */
export const StockCommitted = defineEvent('commerce.inventory.stock-committed.v1', z.object({ orderId: z.string(), reservationId: z.string() }));
