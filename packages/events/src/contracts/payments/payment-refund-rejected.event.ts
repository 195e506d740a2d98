import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/** A requested refund was not made: nothing moved. Answers `refund-requested` by `refundId`. */
export const PaymentRefundRejected = defineEvent(
  'commerce.payments.payment-refund-rejected.v1',
  z.object({
    refundId: z.string(),
    orderId: z.string(),
    paymentId: z.string(),
    amount: moneySchema,
    reason: z.enum(['UNKNOWN_PAYMENT', 'NOT_CAPTURED', 'EXCEEDS_CAPTURED', 'CURRENCY_MISMATCH']),
  }),
);
