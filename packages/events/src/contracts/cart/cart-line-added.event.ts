import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * A shopper added a variant to a cart (a new line, or more of a line). For analytics (add-to-cart
 * counts) and recommendations (a strong signal of interest); the cart itself needs no event.
 */
export const CartLineAdded = defineEvent(
  'commerce.cart.cart-line-added.v1',
  z.object({
    cartId: z.string(),
    customerId: z.string().nullable(),
    productId: z.string(),
    variantId: z.string(),
    quantity: z.number().int().positive(),
    unitPrice: moneySchema,
    addedAt: z.string().datetime(),
  }),
);
