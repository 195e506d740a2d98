import { describe, expect, it } from 'vitest';
import { forgetPaymentToken, keepPaymentToken, paymentTokenKey, readPaymentToken, type PaymentTokenStore } from '../src/contracts/index.ts';

/** The store's Redis commands, in memory (TTLs recorded, not enforced). */
function memoryStore() {
  const data = new Map<string, string>();
  const ttls = new Map<string, number>();
  const store: PaymentTokenStore = {
    async set(key, value, _mode, ttlMs) {
      data.set(key, value);
      ttls.set(key, ttlMs);
      return 'OK';
    },
    async get(key) {
      return data.get(key) ?? null;
    },
    async del(key) {
      return data.delete(key) ? 1 : 0;
    },
  };
  return { store, data, ttls };
}

describe('the payment-token store (claim check)', () => {
  it('keeps a token under a new random reference with a TTL, and answers it for its order only', async () => {
    const { store, data, ttls } = memoryStore();
    const ref = await keepPaymentToken(store, 'ord_a', 'tok_visa', 60_000);
    const again = await keepPaymentToken(store, 'ord_a', 'tok_visa', 60_000);
    expect(ref).toMatch(/^ptok_[0-9a-f]{32}$/);
    expect(again).not.toBe(ref);
    expect(ref).not.toContain('tok_visa');
    expect(ttls.get(paymentTokenKey(ref))).toBe(60_000);
    expect([...data.keys()].every((k) => k.startsWith('payment-token:ptok_'))).toBe(true);
    expect(await readPaymentToken(store, ref, 'ord_a')).toBe('tok_visa');
    expect(await readPaymentToken(store, ref, 'ord_b')).toBeNull(); // kept for another order
    expect(await readPaymentToken(store, `ptok_${'0'.repeat(32)}`, 'ord_a')).toBeNull(); // never kept
    expect(await readPaymentToken(store, 'payment-token:*', 'ord_a')).toBeNull(); // not a reference
  });

  it('forgets a token only for its own order, idempotently', async () => {
    const { store } = memoryStore();
    const ref = await keepPaymentToken(store, 'ord_a', 'tok_visa', 60_000);
    await forgetPaymentToken(store, ref, 'ord_b'); // someone else's request: left alone
    expect(await readPaymentToken(store, ref, 'ord_a')).toBe('tok_visa');
    await forgetPaymentToken(store, ref, 'ord_a');
    await forgetPaymentToken(store, ref, 'ord_a');
    expect(await readPaymentToken(store, ref, 'ord_a')).toBeNull();
  });

  it('reads a damaged entry as no token', async () => {
    const { store, data } = memoryStore();
    const ref = await keepPaymentToken(store, 'ord_a', 'tok_visa', 60_000);
    data.set(paymentTokenKey(ref), 'not json');
    expect(await readPaymentToken(store, ref, 'ord_a')).toBeNull();
    data.set(paymentTokenKey(ref), JSON.stringify({ orderId: 'ord_a' }));
    expect(await readPaymentToken(store, ref, 'ord_a')).toBeNull();
  });
});
