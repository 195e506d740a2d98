import { z } from 'zod';
import { defineEvent } from '../../contract.ts';

/**
 * A customer asked to be forgotten (`forgetMyActivity`): analytics erased their behaviour data
 * and every service that keeps a copy (recommendations) erases its own on this event. The
 * sessions are those analytics had linked to the customer.
 */
export const ActivityForgotten = defineEvent(
  'commerce.analytics.activity-forgotten.v1',
  z.object({ customerId: z.string(), sessionIds: z.array(z.string()), forgottenAt: z.string().datetime() }),
);
