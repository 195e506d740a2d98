import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { rotateSigningKeys } from '../src/index.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/domain/tokens.ts';
import { activate, bootstrapRing, rotateRing } from '../src/domain/key-ring.ts';
import { startTestCustomers, type TestCustomers } from './helpers.ts';

/**
 * Key rotation (issue 13): the JWKS serves the current and the next key; a rotation by the
 * command logs nobody out; a key retired is refused once its tokens' lifetime is over.
 */
let t: TestCustomers;
// 2 s tokens: a retired key stays published 2 s + 5 s clock tolerance
const TTL = 2;
beforeAll(async () => {
  t = await startTestCustomers({ ACCESS_TOKEN_TTL: `${TTL}s`, OAUTH_CLIENT_CREDENTIALS_TTL: `${TTL}s`, JWT_KEYRING_REFRESH_MS: '60000' });
});
afterAll(async () => {
  await t?.stop();
});

const LOG_IN = 'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken userErrors { code } } }';
const jwks = async (): Promise<JSONWebKeySet> => (await fetch(t.svc.jwksUrl)).json() as Promise<JSONWebKeySet>;
const verify = async (token: string) => jwtVerify(token, createLocalJWKSet(await jwks()), { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTolerance: 5 });

describe('signing key rotation', () => {
  it('publishes current and next; rotating logs nobody out; a retired key is refused after its lifetime', async () => {
    const email = `rot-${Date.now()}@example.com`;
    await t.call('mutation ($i: SignUpInput!) { signUp(input: $i) { userErrors { code } } }', { i: { email, password: 'rotation password', name: 'R' } });
    const before = await jwks();
    expect(before.keys).toHaveLength(2);
    const [k1, k2] = before.keys.map((k) => k.kid!);
    const tokenA = (await t.call<any>(LOG_IN, { e: email, p: 'rotation password' })).data!.logIn.accessToken as string;
    expect(decodeProtectedHeader(tokenA).kid).toBe(k1);
    const retiredPrivate = t.svc.keyRing.active().published.find((k) => k.kid === k1)!.privateKey;

    const outcome = await rotateSigningKeys(t.env);
    expect(outcome).toMatchObject({ current: k2, retired: [k1] });
    await t.svc.keyRingRefresh.runNow();

    // current (the old next, which routers had cached), a new next, the retired one
    const after = await jwks();
    expect(after.keys.map((k) => k.kid)).toEqual([k2, outcome.next, k1]);
    // the token signed before the rotation still verifies: nobody is logged out
    await expect(verify(tokenA)).resolves.toBeTruthy();
    const tokenB = (await t.call<any>(LOG_IN, { e: email, p: 'rotation password' })).data!.logIn.accessToken as string;
    expect(decodeProtectedHeader(tokenB).kid).toBe(k2);
    // the OAuth provider signs with the new current key too, and publishes the same keys
    const providerJwks = (await (await fetch(`${t.svc.oauth.issuer}/jwks`)).json()) as JSONWebKeySet;
    expect(providerJwks.keys.map((k) => k.kid)).toEqual([k2, outcome.next, k1]);

    // someone holding the retired key mints a long-lived token: accepted only while the key is published
    const forged = await new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'RS256', kid: k1 }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setSubject('cust_forged').setIssuedAt().setExpirationTime('1d').sign(retiredPrivate);
    await expect(verify(forged)).resolves.toBeTruthy();
    await new Promise((r) => setTimeout(r, (TTL + 5) * 1000 + 200)); // the retired key's lifetime
    await t.svc.keyRingRefresh.runNow();
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([k2, outcome.next]);
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  }, 30_000);

  it('lets exactly one of two simultaneous rotations through', async () => {
    const start = t.svc.keyRing.version;
    const results = await Promise.allSettled([rotateSigningKeys(t.env), rotateSigningKeys(t.env)]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ version: number }>[];
    await t.svc.keyRingRefresh.runNow();
    // serialized by chance: two versions; at once: one, and the other says so
    expect(t.svc.keyRing.version).toBe(start + won.length);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/another rotation/);
    expect(new Set(won.map((w) => w.value.version)).size).toBe(won.length);
  });
});

describe('key ring transitions', () => {
  it('rotate: next → current, current → retired, a new next; retired keys past their lifetime are dropped', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const ring1 = await bootstrapRing({ pem: (await import('../src/domain/key-ring.ts')).generateRingKeyPem(), kid: 'a' }, t0);
    const ring2 = await rotateRing(ring1, 60, new Date(t0.getTime() + 1000));
    expect(ring2.keys.map((k) => k.state)).toEqual(['current', 'next', 'retired']);
    expect(ring2.keys[0]!.kid).toBe(ring1.keys[1]!.kid);
    expect(ring2.keys[2]!.kid).toBe('a');
    // 61 s later 'a' is no longer published, and a further rotation drops it
    expect(activate(ring2, 60, new Date(t0.getTime() + 62_000)).published.map((k) => k.kid)).not.toContain('a');
    const ring3 = await rotateRing(ring2, 60, new Date(t0.getTime() + 62_000));
    expect(ring3.keys.map((k) => k.kid)).not.toContain('a');
    expect(ring3.version).toBe(3);
  });

});
