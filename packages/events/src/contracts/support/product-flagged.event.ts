import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * Customers keep opening product tickets about this product: a signal for merchandising and
 * recommendations (e.g. demote it). Published once per product, when the count of distinct
 * product tickets reaches support's threshold.
 */
export const ProductFlagged = defineEvent(
  'commerce.support.product-flagged.v1',
  z.object({ productId: z.string(), ticketCount: z.number().int().positive(), flaggedAt: z.string().datetime() }),
);
