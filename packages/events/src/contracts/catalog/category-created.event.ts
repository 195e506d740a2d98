import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const CategoryCreated = defineEvent(
  'commerce.catalog.category-created.v1',
  z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), createdAt: z.string().datetime() }),
);
