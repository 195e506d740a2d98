import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * Money was paid back: `amount` is this refund, `refundedTotal` everything refunded on the
 * payment so far. A cancelled order's refund pays back what is left of the capture; a
 * refund asked for from a support ticket (`refund-requested`) may be partial. `refundId`,
 * `refundedTotal` and `fullyRefunded` are absent on events published before partial refunds
 * existed (those were all full refunds of a cancelled order).
 */
export const PaymentRefunded = defineEvent(
  'commerce.payments.payment-refunded.v1',
  z.object({
    orderId: z.string(),
    paymentId: z.string(),
    amount: moneySchema,
    refundId: z.string().optional(),
    refundedTotal: moneySchema.optional(),
    fullyRefunded: z.boolean().optional(),
  }),
);
