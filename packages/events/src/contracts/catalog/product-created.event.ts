import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

export const variantSnapshotSchema = z.object({
  id: z.string(),
  sku: z.string(),
  title: z.string(),
  options: z.array(z.object({ name: z.string(), value: z.string() })),
  price: moneySchema,
});

/** The full product as created: consumers can build their read models from it alone. */
export const productSnapshotSchema = z.object({
  id: z.string(),
  handle: z.string(),
  title: z.string(),
  description: z.string(),
  categoryIds: z.array(z.string()),
  status: z.enum(['ACTIVE', 'ARCHIVED']),
  createdAt: z.string().datetime(),
  version: z.number().int().positive(),
  variants: z.array(variantSnapshotSchema),
});

export const ProductCreated = defineEvent('commerce.catalog.product-created.v1', productSnapshotSchema);
