import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const interactionTypeSchema = z.enum(['PRODUCT_VIEWED', 'SEARCH_PERFORMED', 'RECOMMENDATION_SHOWN', 'RECOMMENDATION_CLICKED']);

/** One storefront interaction, as the client reported it (validated by analytics' trackEvents). */
export const interactionSchema = z.object({
  /** the client's id of the event: replays of the same id are counted once */
  eventId: z.string().min(1).max(100),
  type: interactionTypeSchema,
  /** PRODUCT_VIEWED and RECOMMENDATION_CLICKED: the product */
  productId: z.string().nullable(),
  /** RECOMMENDATION_SHOWN: the products shown, in order */
  productIds: z.array(z.string()),
  /** SEARCH_PERFORMED: what was searched for */
  query: z.string().nullable(),
  /** RECOMMENDATION_*: where the list was shown (e.g. "product-page", "home") */
  slot: z.string().nullable(),
  /** RECOMMENDATION_*: the strategy the list said produced it */
  strategy: z.string().nullable(),
  occurredAt: z.string().datetime(),
});

/**
 * A batch of storefront interactions of one subject (one `trackEvents` call, grouped by session):
 * the anonymous session, and the customer when the caller was signed in. A session seen with a
 * customer belongs to that customer from then on (its earlier history too).
 */
export const InteractionsRecorded = defineEvent(
  'commerce.analytics.interactions-recorded.v1',
  z.object({
    batchId: z.string(),
    sessionId: z.string().min(1).max(100),
    customerId: z.string().nullable(),
    interactions: z.array(interactionSchema).min(1).max(100),
  }),
);
