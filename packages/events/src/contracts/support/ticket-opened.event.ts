import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const ticketCategorySchema = z.enum(['ORDER', 'PAYMENT', 'DELIVERY', 'PRODUCT', 'ACCOUNT', 'OTHER']);
export const ticketPrioritySchema = z.enum(['LOW', 'NORMAL', 'HIGH', 'URGENT']);

/** A support ticket was opened, by the customer, an agent on their behalf, or the platform itself. */
export const TicketOpened = defineEvent(
  'commerce.support.ticket-opened.v1',
  z.object({
    ticketId: z.string(),
    customerId: z.string(),
    orderId: z.string().nullable(),
    productId: z.string().nullable(),
    category: ticketCategorySchema,
    priority: ticketPrioritySchema,
    openedBy: z.enum(['CUSTOMER', 'AGENT', 'SYSTEM']),
    openedAt: z.string().datetime(),
  }),
);
