import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { ticketCategorySchema, ticketPrioritySchema } from './ticket-opened.event.ts';

/** A ticket was not answered by an agent before its SLA due time (found by support's sweep). */
export const TicketSlaBreached = defineEvent(
  'commerce.support.ticket-sla-breached.v1',
  z.object({ ticketId: z.string(), category: ticketCategorySchema, priority: ticketPrioritySchema, slaDueAt: z.string().datetime(), detectedAt: z.string().datetime() }),
);
