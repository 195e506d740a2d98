import type { Db } from 'mongodb';
import type Stripe from 'stripe';
import { BodyTooLargeError, isDuplicateKeyError, readRawBody, sendJson, type Logger, type RouteHandler } from '@commerce/platform';
import type { PaymentsDeps } from './domain/deps.ts';
import { PAYMENTS_COLLECTION, refundedAmount, type PaymentRecord } from './domain/payment.ts';
import { applyProviderEvent, type ProviderEvent } from './domain/provider-events.ts';

/**
 * Stripe's webhooks (`POST /webhooks/stripe`). The payments flow is synchronous (every provider
 * call answers its result, and an unanswered call is retried with the same idempotency key until
 * it answers), so the aggregate never waits for a webhook. What a webhook adds is the provider's
 * own account of what happened, which can differ from ours when something happened at Stripe
 * outside our calls (a refund from the dashboard, an authorization that expired, a capture that
 * succeeded while our call timed out and is not retried yet).
 *
 * Every event is verified with the SDK (`constructEvent` over the raw body with the endpoint
 * secret; unsigned, badly signed or stale → 400, nothing recorded), then the handled types
 * (`HANDLED_TYPES`) are recorded once in `stripe_events`, unique by Stripe's event id (a
 * redelivery is answered 200 and changes nothing), with the payment it is about (by
 * `providerRef`) and any discrepancy with the aggregate when it arrived.
 *
 * Two types are also applied to the payment, decided in the domain (`domain/provider-events.ts`,
 * idempotent by the aggregate's state, so a delivery that died between applying and recording
 * is applied again as a no-op): `charge.refunded` (a refund made in the dashboard becomes a
 * refund entry with PaymentRefunded) and `payment_intent.canceled` (voids the authorization of a
 * cancelled order with PaymentVoided). What is not applied (every other type, and those two
 * where the domain refuses) is recorded only, its discrepancy logged (warn) once.
 */
export const STRIPE_EVENTS_COLLECTION = 'stripe_events';
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';
const MAX_WEBHOOK_BYTES = 512 * 1024;

export const HANDLED_TYPES = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'charge.refunded']);

export interface StripeEventRecord {
  /** Stripe's event id (evt_…): one record per event, whatever the deliveries */
  _id: string;
  type: string;
  intentId: string | null;
  /** the payment whose providerRef is the intent, or null (not ours, or not known yet) */
  paymentId: string | null;
  /** the intent's status (payment_intent.*) or the charge's amount refunded (charge.refunded) */
  providerStatus: string | null;
  amountRefunded: number | null;
  /** how the provider's account differs from the aggregate when the event arrived, or null */
  discrepancy: string | null;
  /** what the event changed on the payment (`voided`, `refund rf_provider_… of N recorded`), or null */
  applied: string | null;
  /** why an event of an applied type with a discrepancy changed nothing, or null */
  notApplied: string | null;
  livemode: boolean;
  createdAt: Date;
  receivedAt: Date;
}

export type WebhookOutcome = 'applied' | 'recorded' | 'duplicate' | 'ignored';

function intentIdOf(event: Stripe.Event): string | null {
  const obj = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
  if (obj.object === 'payment_intent') return obj.id ?? null;
  const pi = obj.payment_intent;
  return typeof pi === 'string' ? pi : (pi?.id ?? null);
}

/** How the provider's account (this event) differs from the payment aggregate, or null. */
export function discrepancyOf(event: Stripe.Event, payment: PaymentRecord | null): string | null {
  if (!payment) return 'no payment has this PaymentIntent as its provider reference';
  switch (event.type) {
    case 'payment_intent.succeeded':
      return payment.status === 'CAPTURED' || payment.status === 'REFUNDED' ? null : `captured at the provider, ${payment.status} here`;
    case 'payment_intent.canceled':
      return payment.status === 'VOIDED' || payment.status === 'DECLINED' ? null : `cancelled at the provider, ${payment.status} here`;
    case 'payment_intent.payment_failed':
      return payment.status === 'DECLINED' || payment.status === 'PENDING' ? null : `payment failed at the provider, ${payment.status} here`;
    case 'charge.refunded': {
      const provider = (event.data.object as Stripe.Charge).amount_refunded;
      const ours = refundedAmount(payment);
      return provider === ours ? null : `refunded ${provider} at the provider, ${ours} here`;
    }
    default:
      return null;
  }
}

/**
 * The event in the port's terms when it is one the domain may apply (a refund made at Stripe, an
 * intent cancelled at Stripe), else null. The refund named is the newest one not made by us (ours
 * carry `metadata.refund_id`), when the charge lists its refunds.
 */
export function providerEventOf(event: Stripe.Event, intentId: string | null): ProviderEvent | null {
  if (!intentId) return null;
  if (event.type === 'payment_intent.canceled') {
    return (event.data.object as Stripe.PaymentIntent).status === 'canceled' ? { kind: 'canceled', eventId: event.id, providerRef: intentId } : null;
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    if (!Number.isSafeInteger(charge.amount_refunded) || typeof charge.currency !== 'string') return null;
    const theirs = charge.refunds?.data?.find((r) => !r.metadata?.refund_id);
    return { kind: 'refunded', eventId: event.id, providerRef: intentId, amountRefunded: { amount: charge.amount_refunded, currencyCode: charge.currency.toUpperCase() }, providerRefundId: theirs?.id ?? null };
  }
  return null;
}

/**
 * Records a verified event once (a redelivery is a no-op), after applying what the domain applies
 * of it (before recording: the record is what makes a redelivery a no-op, so it must not exist
 * before the change did).
 */
export async function recordStripeEvent(db: Db, deps: PaymentsDeps, event: Stripe.Event, logger: Logger): Promise<WebhookOutcome> {
  if (!HANDLED_TYPES.has(event.type)) return 'ignored';
  const events = db.collection<StripeEventRecord>(STRIPE_EVENTS_COLLECTION);
  if (await events.findOne({ _id: event.id }, { projection: { _id: 1 } })) return 'duplicate';
  const intentId = intentIdOf(event);
  const payment = intentId ? await db.collection<PaymentRecord>(PAYMENTS_COLLECTION).findOne({ providerRef: intentId }) : null;
  const discrepancy = discrepancyOf(event, payment);
  const providerEvent = providerEventOf(event, intentId);
  // a throw (database down, contention) answers 500: Stripe delivers the event again
  const outcome = payment && providerEvent ? await applyProviderEvent(deps, payment._id, providerEvent, { id: event.id, correlationId: event.id }) : null;
  const obj = event.data.object as { status?: string; amount_refunded?: number };
  const record: StripeEventRecord = {
    _id: event.id,
    type: event.type,
    intentId,
    paymentId: payment?._id ?? null,
    providerStatus: event.type.startsWith('payment_intent.') ? (obj.status ?? null) : null,
    amountRefunded: event.type === 'charge.refunded' ? (obj.amount_refunded ?? null) : null,
    discrepancy,
    applied: outcome?.applied ? outcome.detail : null,
    notApplied: outcome && !outcome.applied && discrepancy ? outcome.detail : null,
    livemode: event.livemode,
    createdAt: new Date(event.created * 1000),
    receivedAt: new Date(),
  };
  try {
    await events.insertOne(record);
  } catch (err) {
    if (isDuplicateKeyError(err)) return 'duplicate'; // a concurrent delivery won
    throw err;
  }
  if (record.discrepancy && !record.applied) {
    logger.warn({ stripeEventId: event.id, type: event.type, intentId, paymentId: record.paymentId, discrepancy: record.discrepancy, notApplied: record.notApplied ?? undefined }, 'stripe webhook: the provider disagrees with the payment');
  }
  return record.applied ? 'applied' : 'recorded';
}


/**
 * The webhook route: the signature is checked by the SDK over the exact bytes Stripe sent (never a
 * re-serialized body), with the default tolerance of 300 s against replays.
 */
export function stripeWebhookRoute(deps: { stripe: Stripe; webhookSecret: string; db: Db; payments: PaymentsDeps; logger: Logger }): RouteHandler {
  return async (req, res) => {
    let body: Buffer;
    try {
      body = await readRawBody(req, MAX_WEBHOOK_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'body too large' });
      throw err;
    }
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || !signature) return sendJson(res, 400, { error: 'missing Stripe-Signature' });
    let event: Stripe.Event;
    try {
      event = deps.stripe.webhooks.constructEvent(body, signature, deps.webhookSecret);
    } catch {
      deps.logger.warn({ path: STRIPE_WEBHOOK_PATH }, 'stripe webhook refused: signature does not verify');
      return sendJson(res, 400, { error: 'invalid signature' });
    }
    const outcome = await recordStripeEvent(deps.db, deps.payments, event, deps.logger);
    sendJson(res, 200, { received: true, outcome });
  };
}
