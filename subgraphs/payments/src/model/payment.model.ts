import { Schema, type Connection, type Model } from 'mongoose';
import { PAYMENTS_COLLECTION, type PaymentRecord } from '../domain/payment.ts';
import { TEST_PROVIDER_COLLECTION, type TestProviderOperation } from '../domain/test-provider.ts';

/**
 * Payments' own collections. Writes go through the outbox committer (payments) or the test
 * provider (its operations), never through these models; they declare the shape and the indexes.
 *
 * - `payments`: one aggregate per order (`pay_<orderId>`), read by `_id` only (commits and the
 *   Order.payment DataLoader's `$in`). Holds brand and last4, never a token or card number.
 * - `test_provider_operations`: the test provider's memory, keyed by operation (`authorize:<key>`,
 *   `capture:<ref>`…); capture/void look the authorization up by `providerRef`.
 */
const moneySchema = new Schema({ amount: { type: Number, required: true }, currencyCode: { type: String, required: true } }, { _id: false });

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
    operation: { type: new Schema({ kind: String, id: String, until: Number }, { _id: false }), default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: PAYMENTS_COLLECTION, versionKey: false },
);

const testProviderOperationSchema = new Schema<TestProviderOperation>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    providerRef: { type: String, required: true },
    amount: { type: moneySchema, default: null },
    result: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { collection: TEST_PROVIDER_COLLECTION, versionKey: false },
);
testProviderOperationSchema.index({ providerRef: 1 });

export interface PaymentsModels {
  Payment: Model<PaymentRecord>;
  TestProviderOperation: Model<TestProviderOperation>;
}

export function registerModels(conn: Connection): PaymentsModels {
  return {
    Payment: conn.model<PaymentRecord>('Payment', paymentSchema),
    TestProviderOperation: conn.model<TestProviderOperation>('TestProviderOperation', testProviderOperationSchema),
  };
}
