import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError, newId, type Money } from '@commerce/platform';
import { PaymentProviderError, type AuthorizeRequest, type AuthorizeResult, type PaymentProvider, type ProviderDeclineReason } from './provider.ts';

/**
 * The built-in test provider (PAYMENTS_PROVIDER=test), with the usual test tokens:
 * tok_visa (visa •••• 4242) and tok_mastercard (mastercard •••• 4444) are authorized;
 * tok_chargeDeclined → CARD_DECLINED, tok_insufficientFunds → INSUFFICIENT_FUNDS; any other
 * token → INVALID_TOKEN.
 *
 * Like a real provider it remembers what it did, here in the payments database
 * (`test_provider_operations`), one record per operation inserted under a unique `_id`
 * (`authorize:<idempotencyKey>`, `capture:<ref>`, `void:<ref>`, `refund:<ref>:<n>`): a retry
 * after a crash, or a concurrent caller with the same key, gets the stored answer instead of a
 * second authorization. It stores the outcome only (brand, last4, reason), never the token.
 * Nothing is ever updated: every decision that two callers could race for is a unique insert
 * (FerretDB's updates are not atomic with their filters).
 */
export const TEST_PROVIDER_COLLECTION = 'test_provider_operations';

type OperationKind = 'authorize' | 'capture' | 'void' | 'refund';

export interface TestProviderOperation {
  _id: string;
  kind: OperationKind;
  providerRef: string;
  amount: Money | null;
  result: { ok: true; brand: string; last4: string } | { ok: false; reason: ProviderDeclineReason };
  /** a refund's idempotency key */
  idempotencyKey?: string;
  /** a refund link: everything refunded on the capture through this one, in minor units */
  refundedTotal?: number;
  at: Date;
}

/** The n-th refund of a capture (n from 1): refunds of one capture form a chain of these. */
export function refundLinkId(providerRef: string, n: number): string {
  return `refund:${providerRef}:${n}`;
}

const CARDS: Record<string, { brand: string; last4: string }> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
};
const DECLINES: Record<string, ProviderDeclineReason> = {
  tok_chargeDeclined: 'CARD_DECLINED',
  tok_insufficientFunds: 'INSUFFICIENT_FUNDS',
};

/** What a token does at the test provider (pure; the unit tests pin it). */
export function testTokenOutcome(token: string): { ok: true; brand: string; last4: string } | { ok: false; reason: ProviderDeclineReason } {
  const card = Object.hasOwn(CARDS, token) ? CARDS[token] : undefined;
  if (card) return { ok: true, ...card };
  const reason = Object.hasOwn(DECLINES, token) ? DECLINES[token] : undefined;
  return { ok: false, reason: reason ?? 'INVALID_TOKEN' };
}

export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  /** calls received by this instance, per operation (tests count them) */
  readonly calls: Record<OperationKind, number> = { authorize: 0, capture: 0, void: 0, refund: 0 };
  private readonly ops: Collection<TestProviderOperation>;

  constructor(db: Db, private readonly delayMs = 0) {
    this.ops = db.collection<TestProviderOperation>(TEST_PROVIDER_COLLECTION);
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    this.calls.authorize += 1;
    await this.delay();
    const _id = `authorize:${req.idempotencyKey}`;
    const outcome = testTokenOutcome(req.token);
    const record: TestProviderOperation = { _id, kind: 'authorize', providerRef: newId('tpauth'), amount: req.amount, result: outcome, at: new Date() };
    const stored = await this.insertOnce(record);
    return stored.result.ok ? { ok: true, providerRef: stored.providerRef, brand: stored.result.brand, last4: stored.result.last4 } : { ok: false, reason: stored.result.reason };
  }

  async capture(providerRef: string, amount: Money): Promise<void> {
    this.calls.capture += 1;
    await this.delay();
    const auth = await this.authorization(providerRef);
    if (auth.amount && (amount.currencyCode !== auth.amount.currencyCode || amount.amount > auth.amount.amount)) {
      throw new PaymentProviderError(`capture of ${providerRef} exceeds the authorized amount`);
    }
    if (await this.ops.findOne({ _id: `void:${providerRef}` })) throw new PaymentProviderError(`authorization ${providerRef} was voided`);
    await this.insertOnce({ _id: `capture:${providerRef}`, kind: 'capture', providerRef, amount, result: auth.result, at: new Date() });
  }

  async void(providerRef: string): Promise<void> {
    this.calls.void += 1;
    await this.delay();
    const auth = await this.authorization(providerRef);
    if (await this.ops.findOne({ _id: `capture:${providerRef}` })) throw new PaymentProviderError(`authorization ${providerRef} was captured: refund it`);
    await this.insertOnce({ _id: `void:${providerRef}`, kind: 'void', providerRef, amount: null, result: auth.result, at: new Date() });
  }

  /**
   * Refunds of a capture form a chain of records `refund:<ref>:<n>` (n = 1, 2, …), each with its
   * key, amount and the total refunded through it. A refund walks the chain by `_id`: its key in
   * the chain means it was made (answered again, nothing paid twice); at the end it checks the
   * rest of the capture and inserts the next link. Of two concurrent refunds only one gets link
   * n (unique `_id`); the other reads that link and decides again on the new total, so the
   * refunds never add up to more than the capture, with inserts only.
   */
  async refund(providerRef: string, amount: Money, idempotencyKey: string): Promise<void> {
    this.calls.refund += 1;
    await this.delay();
    const capture = await this.ops.findOne({ _id: `capture:${providerRef}` });
    if (!capture?.amount) throw new PaymentProviderError(`nothing captured on ${providerRef} to refund`);
    let refunded = 0;
    for (let n = 1; ; ) {
      const link = await this.ops.findOne({ _id: refundLinkId(providerRef, n) });
      if (link) {
        if (link.idempotencyKey === idempotencyKey) {
          if (link.amount?.amount !== amount.amount || link.amount.currencyCode !== amount.currencyCode) throw new PaymentProviderError(`refund ${idempotencyKey} was made with another amount`);
          return;
        }
        refunded = link.refundedTotal ?? refunded + (link.amount?.amount ?? 0);
        n += 1;
        continue;
      }
      if (amount.currencyCode !== capture.amount.currencyCode) throw new PaymentProviderError(`refund in ${amount.currencyCode} of a capture in ${capture.amount.currencyCode}`);
      if (amount.amount <= 0 || refunded + amount.amount > capture.amount.amount) {
        throw new PaymentProviderError(`refund of ${amount.amount} exceeds what is left of capture ${providerRef} (${capture.amount.amount - refunded})`);
      }
      const record: TestProviderOperation = { _id: refundLinkId(providerRef, n), kind: 'refund', providerRef, amount, result: capture.result, idempotencyKey, refundedTotal: refunded + amount.amount, at: new Date() };
      try {
        await this.ops.insertOne(record);
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // another refund took link n first: read it and decide again
      }
    }
  }

  /** Inserts the record unless one with its key exists; answers whichever is stored. */
  private async insertOnce(record: TestProviderOperation): Promise<TestProviderOperation> {
    try {
      await this.ops.insertOne(record);
      return record;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const stored = await this.ops.findOne({ _id: record._id });
      if (!stored) throw new PaymentProviderError(`operation ${record._id} conflicted but cannot be read`);
      return stored;
    }
  }

  private async authorization(providerRef: string): Promise<TestProviderOperation & { result: { ok: true } }> {
    const auth = await this.ops.findOne({ kind: 'authorize', providerRef });
    if (!auth || !auth.result.ok) throw new PaymentProviderError(`no authorization ${providerRef}`);
    return auth as TestProviderOperation & { result: { ok: true } };
  }

  private async delay(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
  }
}
