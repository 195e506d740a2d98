import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * A variant's stock at one location changed (set, reserved, released, committed). `available`
 * is the variant's total over all locations after the change; `version` is the stock level's.
 */
export const StockLevelChanged = defineEvent(
  'commerce.inventory.stock-level-changed.v1',
  z.object({
    variantId: z.string(),
    locationId: z.string(),
    onHand: z.number().int().min(0),
    reserved: z.number().int().min(0),
    available: z.number().int().min(0),
    version: z.number().int().positive(),
  }),
);
