import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const ReviewAdded = defineEvent(
  'commerce.reviews.review-added.v1',
  z.object({ reviewId: z.string(), productId: z.string(), customerId: z.string(), rating: z.number().int().min(1).max(5), createdAt: z.string().datetime() }),
);
