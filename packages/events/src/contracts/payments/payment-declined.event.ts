import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const PaymentDeclined = defineEvent(
  'commerce.payments.payment-declined.v1',
  z.object({ orderId: z.string(), paymentId: z.string(), reason: z.enum(['CARD_DECLINED', 'INSUFFICIENT_FUNDS', 'INVALID_TOKEN', 'ORDER_CANCELLED']) }),
);
