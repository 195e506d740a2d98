import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { ticketCategorySchema } from './ticket-opened.event.ts';

/** The customer rated how their ticket was resolved (1–5). */
export const SatisfactionRated = defineEvent(
  'commerce.support.satisfaction-rated.v1',
  z.object({
    ticketId: z.string(),
    customerId: z.string(),
    category: ticketCategorySchema,
    score: z.number().int().min(1).max(5),
    resolvedAt: z.string().datetime(),
    ratedAt: z.string().datetime(),
  }),
);
