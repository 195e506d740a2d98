import Stripe from 'stripe';
import type { Money } from '@commerce/platform';
import { PaymentProviderError, type AuthorizeRequest, type AuthorizeResult, type PaymentProvider, type ProviderDeclineReason } from './provider.ts';

/**
 * The Stripe adapter of the provider port (PAYMENTS_PROVIDER=stripe), through the official SDK:
 *
 * - `authorize` creates and confirms a PaymentIntent with `capture_method: 'manual'` (the card is
 *   authorized, nothing is charged yet); `requires_capture` → authorized (brand and last4 from the
 *   expanded payment method). A card error → `{ ok: false, reason }` (`declineReasonOf`); an intent
 *   that needs the customer (3-D Secure, `requires_action`) cannot be completed by a back-end saga
 *   and is declined CARD_DECLINED (its intent expires at Stripe, nothing was charged).
 * - `capture` → `POST /v1/payment_intents/:id/capture` (in full), `void` → `…/cancel`,
 *   `refund` → `POST /v1/refunds` with `payment_intent` and the amount.
 *
 * Every call carries an idempotency key derived from the operation and what it is about
 * (`authorize:<key>`, `capture:<ref>`, `void:<ref>`, `refund:<refundId>`): the SDK's own network
 * retries and the saga's redeliveries replay Stripe's stored answer instead of acting twice (the
 * same key with other parameters is refused by Stripe: a PaymentProviderError). Stripe forgets
 * keys after 24 h, so a capture or void repeated later that Stripe refuses because the intent is
 * already in the target state (`payment_intent_unexpected_state`) is checked against the intent
 * and answered as done.
 *
 * The card token reaches Stripe only; it is never logged nor put in an error message (errors carry
 * Stripe's type, code and request id, not its message, which can quote the parameter).
 */
export interface StripeProviderOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:12111 (a local stub); unset = api.stripe.com */
  apiBase?: string | undefined;
  /** per-request timeout in ms */
  timeoutMs?: number;
  /** SDK network retries (same idempotency key) */
  maxNetworkRetries?: number;
}

/** Stripe's SDK client for these options (the webhook verifier uses one too: no key needed there). */
export function createStripeClient(opts: StripeProviderOptions): Stripe {
  const base = opts.apiBase ? new URL(opts.apiBase) : undefined;
  return new Stripe(opts.apiKey, {
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    timeout: opts.timeoutMs ?? 10_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const),
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
        }
      : {}),
  });
}

/** The port's decline reason for a Stripe error, or null when it is not a refusal of the card. */
export function declineReasonOf(err: unknown): ProviderDeclineReason | null {
  if (!(err instanceof Stripe.errors.StripeError)) return null;
  const code = err.code ?? '';
  const decline = err.decline_code ?? '';
  if (err instanceof Stripe.errors.StripeCardError) {
    if (code === 'insufficient_funds' || decline === 'insufficient_funds') return 'INSUFFICIENT_FUNDS';
    if (code === 'invalid_number' || code === 'incorrect_number') return 'INVALID_TOKEN';
    // card_declined, expired_card, incorrect_cvc, processing_error, lost/stolen card, …
    return 'CARD_DECLINED';
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    // an unknown, used or malformed card token / payment method
    if (code === 'token_already_used' || code === 'payment_method_invalid_parameter') return 'INVALID_TOKEN';
    if (code === 'resource_missing' && /payment_method|token|source/.test(err.param ?? '')) return 'INVALID_TOKEN';
  }
  return null;
}

/** A provider error without Stripe's message (it can quote parameters, the token among them). */
function providerError(op: string, err: unknown): PaymentProviderError {
  if (err instanceof Stripe.errors.StripeError) {
    return new PaymentProviderError(`stripe ${op} failed: ${err.type}${err.code ? ` ${err.code}` : ''}${err.statusCode ? ` (HTTP ${err.statusCode})` : ''}${err.requestId ? ` request ${err.requestId}` : ''}`);
  }
  return new PaymentProviderError(`stripe ${op} failed: ${(err as Error)?.name ?? 'error'}`);
}

function isUnexpectedState(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && err.code === 'payment_intent_unexpected_state';
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly stripe: Stripe;

  constructor(opts: StripeProviderOptions) {
    this.stripe = createStripeClient(opts);
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    // a PaymentMethod id is used as it is; a card token (tok_…) becomes the intent's payment method
    const method: Pick<Stripe.PaymentIntentCreateParams, 'payment_method' | 'payment_method_data'> = req.token.startsWith('pm_')
      ? { payment_method: req.token }
      : { payment_method_data: { type: 'card', card: { token: req.token } } as Stripe.PaymentIntentCreateParams.PaymentMethodData };
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: req.amount.amount,
          currency: req.amount.currencyCode.toLowerCase(),
          capture_method: 'manual',
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          // 3-D Secure needs the customer: a card error (authentication_required → CARD_DECLINED) instead
          error_on_requires_action: true,
          ...method,
          expand: ['payment_method'],
        },
        { idempotencyKey: `authorize:${req.idempotencyKey}` },
      );
    } catch (err) {
      const reason = declineReasonOf(err);
      if (reason) return { ok: false, reason };
      throw providerError('authorize', err);
    }
    if (intent.status !== 'requires_capture') {
      if (intent.status === 'requires_action' || intent.status === 'requires_payment_method' || intent.status === 'canceled') return { ok: false, reason: 'CARD_DECLINED' };
      throw new PaymentProviderError(`stripe authorize: unexpected PaymentIntent status ${intent.status}`);
    }
    const pm = typeof intent.payment_method === 'object' ? intent.payment_method : null;
    return { ok: true, providerRef: intent.id, brand: pm?.card?.brand ?? 'unknown', last4: pm?.card?.last4 ?? '' };
  }

  /** in full: the intent was created for the payment's amount (the amount is not sent again) */
  async capture(providerRef: string, _amount: Money): Promise<void> {
    try {
      const intent = await this.stripe.paymentIntents.capture(providerRef, {}, { idempotencyKey: `capture:${providerRef}` });
      if (intent.status !== 'succeeded') throw new PaymentProviderError(`stripe capture: PaymentIntent is ${intent.status}`);
    } catch (err) {
      if (err instanceof PaymentProviderError) throw err;
      if (isUnexpectedState(err) && (await this.statusOf(providerRef)) === 'succeeded') return; // captured before (key expired)
      throw providerError('capture', err);
    }
  }

  async void(providerRef: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(providerRef, {}, { idempotencyKey: `void:${providerRef}` });
    } catch (err) {
      if (isUnexpectedState(err) && (await this.statusOf(providerRef)) === 'canceled') return; // voided before (key expired)
      throw providerError('void', err);
    }
  }

  async refund(providerRef: string, amount: Money, idempotencyKey: string): Promise<void> {
    let refund: Stripe.Refund;
    try {
      refund = await this.stripe.refunds.create(
        { payment_intent: providerRef, amount: amount.amount, metadata: { refund_id: idempotencyKey } },
        { idempotencyKey: `refund:${idempotencyKey}` },
      );
    } catch (err) {
      throw providerError('refund', err);
    }
    // pending: accepted, the money is on its way (card refunds settle later; a later failure comes as a webhook)
    if (refund.status === 'failed' || refund.status === 'canceled') throw new PaymentProviderError(`stripe refund: ${refund.status}`);
  }

  private async statusOf(providerRef: string): Promise<string | null> {
    try {
      return (await this.stripe.paymentIntents.retrieve(providerRef)).status;
    } catch {
      return null;
    }
  }
}
