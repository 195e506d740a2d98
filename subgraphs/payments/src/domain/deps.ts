import type { Committer, EventMeta } from '@commerce/events';
import type { Logger } from '@commerce/platform';
import type { PaymentProvider } from './provider.ts';

/** What the payments use cases need; built once in index.ts. */
export interface PaymentsDeps {
  committer: Committer;
  provider: PaymentProvider;
  /** how long a claimed provider operation belongs to its claimer (see config) */
  operationLeaseMs: number;
  /** where orders keeps a checkout's provider token for payments (claim check, see request-payment.ts) */
  paymentTokens: PaymentTokens;
  logger: Logger;
}

/**
 * The payment-token store as payments uses it (`payment-token.ts` in @commerce/events; Redis in
 * index.ts): `read` answers the token kept under a reference for an order (null: none, or kept
 * for another order; throws when the store is unreachable), `forget` deletes it
 * (only if kept for that order).
 */
export interface PaymentTokens {
  read(ref: string, orderId: string): Promise<string | null>;
  forget(ref: string, orderId: string): Promise<void>;
}

/** The event a change is a reaction to: its events carry the same correlation and trace. */
export interface Cause {
  id: string;
  correlationId: string;
  traceparent?: string;
}

export function metaFor(paymentId: string, cause: Cause): EventMeta {
  return { aggregateId: paymentId, correlationId: cause.correlationId, causationId: cause.id, ...(cause.traceparent ? { traceparent: cause.traceparent } : {}) };
}

/**
 * Another attempt holds this payment's provider operation right now. Thrown from a consumer's
 * handler it means "try again later": the message is redelivered with backoff and by then the
 * holder has finished (or its lease has run out and the retry takes over).
 */
export class PaymentBusyError extends Error {
  override name = 'PaymentBusyError';
  constructor(paymentId: string, kind: string) {
    super(`payment ${paymentId}: a ${kind} is in progress elsewhere; retry later`);
  }
}

/** The committer gave up after too many lost version races (retry later). */
export class PaymentContendedError extends Error {
  override name = 'PaymentContendedError';
  constructor(paymentId: string) {
    super(`payment ${paymentId}: too much contention; retry later`);
  }
}
