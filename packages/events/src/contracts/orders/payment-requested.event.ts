import { z } from 'zod';
import { defineEvent } from '../../contract.ts';
import { moneySchema } from '../shared.ts';

/**
 * Stock is held; the saga asks payments to authorize. `idempotencyKey` makes the authorization
 * happen once. The provider token is not in the event: `paymentTokenRef` is the claim check
 * under which orders keeps it, for a short while, in the payment-token store
 * (`payment-token.ts`); payments reads it there for the one provider call and deletes it. So the
 * token never reaches the order stream, JetStream, a dead letter or any database.
 */
export const PaymentRequested = defineEvent(
  'commerce.orders.payment-requested.v2',
  z.object({ orderId: z.string(), customerId: z.string(), amount: moneySchema, paymentTokenRef: z.string(), idempotencyKey: z.string() }),
);

/**
 * Superseded by v2: it carried the provider token itself (e.g. tok_visa), which then stayed in
 * the order stream (kept forever), JetStream and dead letters (security review, finding 7).
 * Nothing publishes it any more; payments still consumes it so that a v1 published by an orders
 * instance of the previous release is answered during a rolling deploy. Remove that consumer
 * once no v1 can be retained (one stream max age, 7 days, after the deploy).
 */
export const PaymentRequestedV1 = defineEvent(
  'commerce.orders.payment-requested.v1',
  z.object({ orderId: z.string(), customerId: z.string(), amount: moneySchema, paymentToken: z.string(), idempotencyKey: z.string() }),
);
