import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The payment-token store: how a provider token travels from orders (placeOrder) to payments (the
 * authorization) without being written to any event, outbox entry or database (security review,
 * finding 7). It is a claim check: orders keeps `{ orderId, token }` in Redis under a random
 * reference with a TTL (a little longer than the checkout saga may take) and puts only the
 * reference in its order stream and in `payment-requested` (v2). Payments reads the token under
 * the reference when it calls the provider, only if it was kept for the same order, and deletes
 * it once the authorization is settled; orders deletes it when an order is cancelled before
 * payment was requested. Whatever is left (a lost race, a crash) expires with the TTL.
 *
 * The reference alone is worth nothing: the token is only where the platform's Redis is, and
 * only for as long as a checkout can take. A token that expired (or a Redis that lost it) makes
 * payments decline the payment (INVALID_TOKEN): the order is cancelled and compensated, the
 * customer checks out again.
 */
export const PAYMENT_TOKEN_KEY_PREFIX = 'payment-token:';

const REF = /^ptok_[0-9a-f]{32}$/;
const kept = z.object({ orderId: z.string(), token: z.string() });

/** The part of a Redis client the store uses (ioredis' `Redis` is one). */
export interface PaymentTokenStore {
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

export function isPaymentTokenRef(ref: string): boolean {
  return REF.test(ref);
}

/** The Redis key of a reference. */
export function paymentTokenKey(ref: string): string {
  if (!isPaymentTokenRef(ref)) throw new Error('not a payment token reference');
  return `${PAYMENT_TOKEN_KEY_PREFIX}${ref}`;
}

/** Keeps an order's token for `ttlMs` under a new random reference, and returns the reference. */
export async function keepPaymentToken(store: PaymentTokenStore, orderId: string, token: string, ttlMs: number): Promise<string> {
  const ref = `ptok_${randomBytes(16).toString('hex')}`;
  await store.set(paymentTokenKey(ref), JSON.stringify({ orderId, token }), 'PX', Math.max(1, Math.ceil(ttlMs)));
  return ref;
}

/**
 * The token kept under a reference for this order; null when there is none (expired, already
 * used, never kept, a malformed reference) or it was kept for another order (a forged or
 * misrouted request must not spend someone else's token). Throws when the store is unreachable.
 */
export async function readPaymentToken(store: PaymentTokenStore, ref: string, orderId: string): Promise<string | null> {
  if (!isPaymentTokenRef(ref)) return null;
  const raw = await store.get(paymentTokenKey(ref));
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = kept.safeParse(value);
  return parsed.success && parsed.data.orderId === orderId ? parsed.data.token : null;
}

/**
 * Deletes the token kept under a reference for this order (idempotent). A token kept for another
 * order is left alone: a request naming someone else's reference must not destroy their token.
 * (Read, then delete: references are random and never reused, so the entry cannot change between.)
 */
export async function forgetPaymentToken(store: PaymentTokenStore, ref: string, orderId: string): Promise<void> {
  if ((await readPaymentToken(store, ref, orderId)) !== null) await store.del(paymentTokenKey(ref));
}
