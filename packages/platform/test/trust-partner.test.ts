import { describe, expect, it } from 'vitest';
import { createContextSigner, createContextVerifier, generateRouterKeyPair, signInternalContext, verifyInternalContext } from '../src/index.ts';

/** The partner claim (`ptn`) of the router context: how subgraphs learn which partner calls (webhooks). */
const { signingKey: SIGNING, publicKey: PUBLIC } = generateRouterKeyPair();
const WEBHOOKS = { audience: 'webhooks' };
const PARTNER = { id: 'ptnr_0mabc1234d0123456789abcdef' };

describe('the router context carries the partner', () => {
  it('round-trips the partner id as claim ptn', async () => {
    const token = await signInternalContext(SIGNING, { user: null, requestId: 'r1', partner: PARTNER }, WEBHOOKS);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload.ptn).toBe(PARTNER.id);
    expect(await verifyInternalContext(PUBLIC, token, WEBHOOKS)).toEqual({ user: null, requestId: 'r1', partner: PARTNER });
  });

  it('has no partner when the router named none, and drops a claim that is not a partner id', async () => {
    const none = await signInternalContext(SIGNING, { user: { id: 'cust_a', roles: ['CUSTOMER'] }, requestId: 'r1' }, WEBHOOKS);
    expect((await verifyInternalContext(PUBLIC, none, WEBHOOKS)).partner).toBeUndefined();
    const odd = await signInternalContext(SIGNING, { user: null, requestId: 'r1', partner: { id: 'cust_not-a-partner' } }, WEBHOOKS);
    expect((await verifyInternalContext(PUBLIC, odd, WEBHOOKS)).partner).toBeUndefined();
  });

  it('the signer keys its reuse cache by partner: two partners never share a token', async () => {
    const signer = createContextSigner(SIGNING);
    const verifier = createContextVerifier(PUBLIC);
    const a = await signer.sign({ user: null, partner: PARTNER }, 'webhooks');
    const b = await signer.sign({ user: null, partner: { id: 'ptnr_0mabc1234dfedcba9876543210' } }, 'webhooks');
    const anonymous = await signer.sign({ user: null }, 'webhooks');
    expect(new Set([a, b, anonymous]).size).toBe(3);
    expect(await signer.sign({ user: null, partner: PARTNER }, 'webhooks')).toBe(a); // reused for the same partner
    expect((await verifier.verify(a, WEBHOOKS)).partner).toEqual(PARTNER);
    expect((await verifier.verify(b, WEBHOOKS)).partner?.id).toBe('ptnr_0mabc1234dfedcba9876543210');
    expect((await verifier.verify(anonymous, WEBHOOKS)).partner).toBeUndefined();
  });
});
