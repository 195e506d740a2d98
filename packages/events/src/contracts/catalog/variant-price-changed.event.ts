import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/** A variant's price changed; `version` is the product's version after the change. */
export const VariantPriceChanged = defineEvent(
  'commerce.catalog.variant-price-changed.v1',
  z.object({
    productId: z.string(),
    variantId: z.string(),
    sku: z.string(),
    price: moneySchema,
    previousPrice: moneySchema,
    version: z.number().int().positive(),
  }),
);
