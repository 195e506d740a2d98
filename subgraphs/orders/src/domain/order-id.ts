import { createHash } from 'node:crypto';

/**
 * The order id is derived from (customer, idempotency key): the same key from the same customer
 * names the same order, so the order's first commit (version 1, a unique insert) is itself the
 * idempotency guard — five concurrent retries create one order, reserve once and charge once.
 */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${customerId}\u0000${idempotencyKey}`).digest('hex');
  return `ord_${digest.slice(0, 25)}`;
}
