import type { Money } from '@commerce/platform';

/**
 * The port every payment provider adapter implements (the built-in test provider, later real
 * ones). Payments never sees card data: the storefront tokenizes the card with the provider and
 * the token reaches payments once, from the payment-token store that `payment-requested` names
 * (it is in no event and no database); only the provider's reference, the card brand
 * and the last four digits come back.
 *
 * Every operation is idempotent by key, so a retry after a crash or a lost answer never charges
 * or pays back twice: `authorize` by the caller's `idempotencyKey` (the same key answers the same
 * result, even to concurrent callers), `capture` / `void` by (operation, providerRef): one full
 * capture and one void per authorization; `refund` by its `idempotencyKey` (the refund id): any
 * number of refunds per capture, each made once, and never more in total than was captured.
 *
 * A provider that cannot answer (down, timeout) throws; a card the provider refuses is not an
 * error but `{ ok: false, reason }`.
 */
export type ProviderDeclineReason = 'CARD_DECLINED' | 'INSUFFICIENT_FUNDS' | 'INVALID_TOKEN';

export interface AuthorizeRequest {
  /** provider token of the card (e.g. tok_visa); never stored */
  token: string;
  amount: Money;
  idempotencyKey: string;
}

export type AuthorizeResult =
  | { ok: true; providerRef: string; brand: string; last4: string }
  | { ok: false; reason: ProviderDeclineReason };

export interface PaymentProvider {
  /** short name for logs and metrics, e.g. "test" */
  readonly name: string;
  authorize(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /** charges an authorization (in full); repeating it is a no-op */
  capture(providerRef: string, amount: Money): Promise<void>;
  /** releases an authorization without charging; repeating it is a no-op */
  void(providerRef: string): Promise<void>;
  /**
   * Pays `amount` of a capture back (all of it or part). Repeating a key is a no-op (the same key
   * with another reference or amount is refused); a refund that exceeds what is left of the
   * capture, or in another currency, is refused with PaymentProviderError.
   */
  refund(providerRef: string, amount: Money, idempotencyKey: string): Promise<void>;
}

/** The provider could not do what was asked (down, or the operation makes no sense for the charge). */
export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
}
