import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

export const PaymentCaptured = defineEvent('commerce.payments.payment-captured.v1', z.object({ orderId: z.string(), paymentId: z.string(), amount: moneySchema }));
