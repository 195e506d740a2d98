import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * An agent asked, from a support ticket, to pay back part or all of an order's captured payment.
 * Support has already checked the amount against what it knows was captured and not yet
 * refunded; payments decides again on its own aggregate (the source of truth) and answers with
 * `payment-refunded` or `payment-refund-rejected` carrying the same `refundId`.
 */
export const RefundRequested = defineEvent(
  'commerce.support.refund-requested.v1',
  z.object({
    /** stable per (ticket, idempotency key): the provider's idempotency key and the answer's id */
    refundId: z.string().min(1),
    orderId: z.string(),
    ticketId: z.string(),
    amount: moneySchema.refine((m) => m.amount > 0, 'a refund is a positive amount'),
    /** the agent (customer id of a SUPPORT_AGENT or ADMIN) */
    requestedBy: z.string(),
  }),
);
