import { Schema, type Connection, type Model } from 'mongoose';
import { PAYMENTS_COLLECTION, type PaymentRecord } from '../domain/payment.ts';
import { TEST_PROVIDER_COLLECTION, type TestProviderOperation } from '../domain/test-provider.ts';
import { UNKNOWN_PAYMENT_REFUNDS_COLLECTION, type UnknownPaymentRefunds } from '../domain/unknown-payment-refunds.ts';

/**
 * Payments' own collections. Writes go through the outbox committer (payments) or the test
 * provider (its operations), never through these models; they declare the shape and the indexes.
 *
 * - `payments`: one aggregate per order (`pay_<orderId>`), read by `_id` only (commits and the
 *   Order.payment DataLoader's `$in`). Holds brand and last4, never a token or card number.
 *   Its refunds are entries in `refunds` (keyed by refund id), not documents of their own.
 *   Stripe webhooks look a payment up by `providerRef` (the PaymentIntent id).
 * - `stripe_events`: Stripe webhook events recorded once, by Stripe's event id (`stripe-webhooks.ts`).
 * - `unknown_payment_refunds`: refund requests answered UNKNOWN_PAYMENT, one record per payment id
 *   asked about (read and committed by `_id` only).
 * - `test_provider_operations`: the test provider's memory, keyed by operation (`authorize:<key>`,
 *   `capture:<ref>`, `refund:<ref>:<n>`…); capture/void look the authorization up by `providerRef`.
 */
const moneySchema = new Schema({ amount: { type: Number, required: true }, currencyCode: { type: String, required: true } }, { _id: false });

const refundSchema = new Schema(
  {
    id: { type: String, required: true },
    amount: { type: moneySchema, required: true },
    status: { type: String, enum: ['PENDING', 'SUCCEEDED', 'REJECTED'], required: true },
    rejectionReason: { type: String, enum: ['UNKNOWN_PAYMENT', 'NOT_CAPTURED', 'EXCEEDS_CAPTURED', 'CURRENCY_MISMATCH', null], default: null },
    ticketId: { type: String, default: null },
    requestedAt: { type: Date, required: true },
    refundedAt: { type: Date, default: null },
    // a refund made at the provider outside our calls (recorded from its webhook)
    source: { type: String, enum: ['provider'] },
    providerRefundId: { type: String, default: undefined },
  },
  { _id: false },
);

const paymentSchema = new Schema<PaymentRecord>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    customerId: { type: String, required: true },
    status: { type: String, enum: ['NOT_REQUESTED', 'PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED'], required: true },
    amount: { type: moneySchema, default: null },
    brand: { type: String, default: null },
    last4: { type: String, default: null },
    providerRef: { type: String, default: null },
    declineReason: { type: String, default: null },
    authorizationKey: { type: String, default: null },
    orderCancelled: { type: Boolean, required: true },
    captureRequested: { type: Boolean, required: true },
    operation: { type: new Schema({ kind: String, id: String, until: Number, refundId: String }, { _id: false }), default: null },
    refunds: { type: [refundSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: PAYMENTS_COLLECTION, versionKey: false },
);
// Stripe webhooks find the payment of a PaymentIntent (`stripe-webhooks.ts`)
paymentSchema.index({ providerRef: 1 });

const testProviderOperationSchema = new Schema<TestProviderOperation>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    providerRef: { type: String, required: true },
    amount: { type: moneySchema, default: null },
    result: { type: Schema.Types.Mixed, required: true },
    idempotencyKey: { type: String },
    refundedTotal: { type: Number },
    at: { type: Date, required: true },
  },
  { collection: TEST_PROVIDER_COLLECTION, versionKey: false },
);
testProviderOperationSchema.index({ providerRef: 1 });

const unknownPaymentRefundsSchema = new Schema<UnknownPaymentRefunds>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    refunds: { type: [new Schema({ id: String, amount: moneySchema, ticketId: String, requestedAt: Date }, { _id: false })], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: UNKNOWN_PAYMENT_REFUNDS_COLLECTION, versionKey: false },
);

export interface PaymentsModels {
  Payment: Model<PaymentRecord>;
  TestProviderOperation: Model<TestProviderOperation>;
  UnknownPaymentRefunds: Model<UnknownPaymentRefunds>;
}

export function registerModels(conn: Connection): PaymentsModels {
  return {
    Payment: conn.model<PaymentRecord>('Payment', paymentSchema),
    TestProviderOperation: conn.model<TestProviderOperation>('TestProviderOperation', testProviderOperationSchema),
    UnknownPaymentRefunds: conn.model<UnknownPaymentRefunds>('UnknownPaymentRefunds', unknownPaymentRefundsSchema),
  };
}
