import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** A product was archived (hidden from the storefront) or made active again. */
export const ProductStatusChanged = defineEvent(
  'commerce.catalog.product-status-changed.v1',
  z.object({ productId: z.string(), status: z.enum(['ACTIVE', 'ARCHIVED']), version: z.number().int().positive(), changedAt: z.string().datetime() }),
);
