import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/** An authorization was released without charging (compensation of a cancelled order). */
export const PaymentVoided = defineEvent('commerce.payments.payment-voided.v1', z.object({ orderId: z.string(), paymentId: z.string() }));
