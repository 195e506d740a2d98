import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

export const CustomerRegistered = defineEvent(
  'commerce.customers.customer-registered.v1',
  z.object({ id: z.string(), email: z.string(), name: z.string(), roles: z.array(z.enum(['CUSTOMER', 'ADMIN'])), createdAt: z.string().datetime() }),
);
