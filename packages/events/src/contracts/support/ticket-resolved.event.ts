import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { ticketCategorySchema } from './ticket-opened.event.ts';

/**
 * An agent resolved a ticket. Carries the times the support figures are made of: opened, first
 * agent response (null if the ticket was resolved without one) and resolved.
 */
export const TicketResolved = defineEvent(
  'commerce.support.ticket-resolved.v1',
  z.object({
    ticketId: z.string(),
    customerId: z.string(),
    orderId: z.string().nullable(),
    category: ticketCategorySchema,
    openedAt: z.string().datetime(),
    firstResponseAt: z.string().datetime().nullable(),
    resolvedAt: z.string().datetime(),
  }),
);
