import { createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  ConfigError,
  CONTEXT_REUSE_MS,
  createContextSigner,
  createContextVerifier,
  DEV_ROUTER_PUBLIC_KEY_FILE,
  DEV_ROUTER_SIGNING_KEY_FILE,
  ensureDevRouterKeys,
  generateRouterKeyPair,
  INTERNAL_CONTEXT_TTL_SECONDS,
  loadServiceConfig,
  parseRouterPublicKey,
  parseRouterSigningKey,
  resolveRouterPublicKey,
  resolveRouterSigningKey,
  signInternalContext,
  UntrustedCallerError,
  verificationKeyOf,
  verifyInternalContext,
} from '../src/index.ts';

/** The router's key pair in these tests: the router signs with SIGNING, subgraphs hold only PUBLIC. */
const { signingKey: SIGNING, publicKey: PUBLIC } = generateRouterKeyPair();
const ORDERS = { audience: 'orders' };
const now = () => Math.floor(Date.now() / 1000);

/** A token with the router's claims and key, but any header/claims the test wants (what a forger could try). */
function craft(claims: Record<string, unknown> = { rid: 'r' }, opts: { iat?: number | null; exp?: number | null; aud?: string | null; alg?: string; typ?: string } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'EdDSA', typ: opts.typ ?? 'commerce-context+jwt' }).setIssuer('commerce-router');
  if (opts.aud !== null) jwt.setAudience(opts.aud ?? 'orders');
  if (opts.iat !== null) jwt.setIssuedAt(opts.iat ?? now());
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now() + 60);
  return jwt;
}
const rejected = async (token: string, audience = 'orders') => {
  await expect(verifyInternalContext(PUBLIC, token, { audience })).rejects.toThrow(UntrustedCallerError);
};

describe('the router context (security review finding 5)', () => {
  it('round-trips identity, request id, trace and client IP for its audience', async () => {
    const token = await signInternalContext(SIGNING, { user: { id: 'cust_a', roles: ['CUSTOMER'] }, requestId: 'r1', clientIp: '2001:db8::1', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }, ORDERS);
    expect(await verifyInternalContext(PUBLIC, token, ORDERS)).toEqual({ user: { id: 'cust_a', roles: ['CUSTOMER'] }, requestId: 'r1', clientIp: '2001:db8::1', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
  });

  it('is signed asymmetrically (EdDSA), with aud = the subgraph and exp = iat + 60 s', async () => {
    const token = await signInternalContext(SIGNING, { user: null, requestId: 'r1' }, ORDERS);
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'commerce-context+jwt' });
    expect(payload).toMatchObject({ iss: 'commerce-router', aud: 'orders', rid: 'r1' });
    expect(payload.exp - payload.iat).toBe(INTERNAL_CONTEXT_TTL_SECONDS);
  });

  it('is refused by any other subgraph: a token for orders does not open payments', async () => {
    const forOrders = await signInternalContext(SIGNING, { user: { id: 'cust_admin', roles: ['CUSTOMER', 'ADMIN'] }, requestId: 'r1' }, ORDERS);
    await rejected(forOrders, 'payments');
    await expect(verifyInternalContext(PUBLIC, forOrders, { audience: ['cart', 'payments'] })).rejects.toThrow(/invalid router context/);
    // a token without aud, or for the old shared audience, opens nothing
    await rejected(await craft({ rid: 'r' }, { aud: null }).sign(parseRouterSigningKey(SIGNING).privateKey));
    await rejected(await craft({ rid: 'r' }, { aud: 'commerce-subgraphs' }).sign(parseRouterSigningKey(SIGNING).privateKey));
  });

  it('requires exp (and iat), refuses an expired token and a lifetime over 60 s', async () => {
    const key = parseRouterSigningKey(SIGNING).privateKey;
    expect(await verifyInternalContext(PUBLIC, await craft().sign(key), ORDERS)).toMatchObject({ requestId: 'r' }); // the control
    await rejected(await craft({ rid: 'r' }, { exp: null }).sign(key)); // no exp
    await rejected(await craft({ rid: 'r' }, { iat: null }).sign(key)); // no iat
    await rejected(await craft({ rid: 'r' }, { iat: now() - 120, exp: now() - 60 }).sign(key)); // expired
    await rejected(await craft({ rid: 'r' }, { iat: now(), exp: now() + 3600 }).sign(key)); // an hour-long one
    await rejected(await craft({ rid: 'r' }, { iat: now() - 300, exp: now() + 30 }).sign(key)); // issued long ago
  });

  it('refuses an HMAC of the old shared secret, an HMAC keyed with the public key, and an unsigned token', async () => {
    const oldSecret = 'test-router-secret-0123456789-0123456789';
    await rejected(await craft({ rid: 'r', roles: ['ADMIN'] }, { alg: 'HS256' }).setSubject('cust_x').sign(new TextEncoder().encode(oldSecret)));
    // algorithm confusion: the public key is public, so it must not work as an HMAC key
    await rejected(await craft({ rid: 'r', roles: ['ADMIN'] }, { alg: 'HS256' }).sign(createSecretKey(Buffer.from(PUBLIC))));
    const unsigned = new UnsecuredJWT({ rid: 'r', roles: ['ADMIN'] }).setIssuer('commerce-router').setAudience('orders').setIssuedAt().setExpirationTime('60s').encode();
    await rejected(unsigned);
  });

  it('refuses a token signed by any key but the router\'s (Ed25519 or P-256), and another type or issuer', async () => {
    const other = generateRouterKeyPair();
    await rejected(await signInternalContext(other.signingKey, { user: { id: 'cust_x', roles: ['ADMIN'] }, requestId: 'r' }, ORDERS));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await rejected(await craft({ rid: 'r' }, { alg: 'ES256' }).sign(ec.privateKey));
    const key = parseRouterSigningKey(SIGNING).privateKey;
    await rejected(await craft({ rid: 'r' }, { typ: 'JWT' }).sign(key));
    await rejected(await new SignJWT({ rid: 'r' }).setProtectedHeader({ alg: 'EdDSA', typ: 'commerce-context+jwt' }).setIssuer('commerce-customers').setAudience('orders').setIssuedAt().setExpirationTime('60s').sign(key));
  });

  it('works with a P-256 router key (ES256) as well', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signing = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pub = JSON.stringify(ec.publicKey.export({ format: 'jwk' }));
    const token = await signInternalContext(signing, { user: null, requestId: 'r-ec' }, ORDERS);
    expect(await verifyInternalContext(pub, token, ORDERS)).toEqual({ user: null, requestId: 'r-ec' });
    await expect(verifyInternalContext(PUBLIC, token, ORDERS)).rejects.toThrow(UntrustedCallerError);
  });

  it('drops an `ip` claim that is not an address', async () => {
    const token = await craft({ rid: 'r4', ip: 'not-an-ip' }).sign(parseRouterSigningKey(SIGNING).privateKey);
    expect(await verifyInternalContext(PUBLIC, token, ORDERS)).toEqual({ user: null, requestId: 'r4' });
  });
});

describe('reusing context tokens: the router signs once per caller and subgraph, a subgraph verifies once per token', () => {
  const alice = { id: 'cust_alice', roles: ['CUSTOMER' as const] };
  it('the router reuses a token for one caller, subgraph and address for 30 s, then signs a fresh one', async () => {
    let t = Date.now();
    const signer = createContextSigner(SIGNING, { now: () => t });
    const first = await signer.sign({ user: alice, clientIp: '10.0.0.1' }, 'orders');
    expect(await signer.sign({ user: alice, clientIp: '10.0.0.1' }, 'orders')).toBe(first);
    // anything that differs gets its own: another subgraph, caller, role set or address
    const others = await Promise.all([
      signer.sign({ user: alice, clientIp: '10.0.0.1' }, 'payments'),
      signer.sign({ user: { id: 'cust_bob', roles: ['CUSTOMER'] }, clientIp: '10.0.0.1' }, 'orders'),
      signer.sign({ user: { ...alice, roles: ['CUSTOMER', 'ADMIN'] }, clientIp: '10.0.0.1' }, 'orders'),
      signer.sign({ user: alice, clientIp: '10.0.0.2' }, 'orders'),
      signer.sign({ user: null }, 'orders'),
    ]);
    expect(new Set([first, ...others]).size).toBe(6);
    const ctx = await verifyInternalContext(PUBLIC, others[2], ORDERS);
    expect(ctx).toEqual({ user: { id: 'cust_alice', roles: ['CUSTOMER', 'ADMIN'] }, requestId: '', clientIp: '10.0.0.1' });
    t += CONTEXT_REUSE_MS;
    const fresh = await signer.sign({ user: alice, clientIp: '10.0.0.1' }, 'orders');
    expect(fresh).not.toBe(first);
    // a reused token always has at least half its lifetime left when it is sent
    const { exp } = JSON.parse(Buffer.from(fresh.split('.')[1]!, 'base64url').toString()) as { exp: number };
    expect(exp * 1000 - t).toBeGreaterThan(CONTEXT_REUSE_MS - 1000);
  });

  it('a subgraph accepts a token it verified before until its exp, and nothing it did not verify', async () => {
    let t = Date.now();
    const verifier = createContextVerifier(PUBLIC, { now: () => t });
    const token = await signInternalContext(SIGNING, { user: alice, requestId: 'r1' }, { ...ORDERS, issuedAtMs: t });
    expect((await verifier.verify(token, ORDERS)).user).toEqual(alice);
    expect((await verifier.verify(token, ORDERS)).user).toEqual(alice);
    // the same token for another audience is checked in full (and refused)
    await expect(verifier.verify(token, { audience: 'payments' })).rejects.toThrow(UntrustedCallerError);
    // one changed character of the signature: not the text it accepted
    const at = token.lastIndexOf('.') + 10; // a character inside the signature, changed for certain
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect(tampered).not.toBe(token);
    await expect(verifier.verify(tampered, ORDERS)).rejects.toThrow(UntrustedCallerError);
    // a forged token with another identity: refused, whatever was accepted before
    await expect(verifier.verify(await craft({ rid: 'r', roles: ['ADMIN'] }).setSubject('cust_alice').sign(generateKeyPairSync('ed25519').privateKey), ORDERS)).rejects.toThrow(UntrustedCallerError);
    // past its exp (and the 5 s of clock skew every check allows) the remembered token is refused too
    t += (INTERNAL_CONTEXT_TTL_SECONDS + 6) * 1000;
    await expect(verifier.verify(token, ORDERS)).rejects.toThrow(UntrustedCallerError);
  });
});

describe('what a subgraph holds cannot sign (structural)', () => {
  it('a public key is no signing key: signInternalContext refuses it, and so does the JWS signer', async () => {
    expect(() => parseRouterSigningKey(PUBLIC)).toThrow(ConfigError);
    await expect(signInternalContext(PUBLIC, { user: { id: 'cust_x', roles: ['ADMIN'] }, requestId: 'r' }, ORDERS)).rejects.toThrow(/not a private key/);
    const pub = parseRouterPublicKey(PUBLIC).publicKey;
    await expect(craft().sign(pub)).rejects.toThrow();
  });

  it('ROUTER_PUBLIC_KEY refuses private key material (PEM or JWK), so a subgraph can never be given the signing key', () => {
    expect(() => parseRouterPublicKey(SIGNING)).toThrow(/holds a private key/);
    const jwk = JSON.stringify(parseRouterSigningKey(SIGNING).privateKey.export({ format: 'jwk' }));
    expect(() => parseRouterPublicKey(jwk)).toThrow(/holds a private key/);
    expect(() => parseRouterPublicKey(SIGNING.replace(/\n/g, '\\n'))).toThrow(/holds a private key/);
  });

  it('verifyInternalContext takes a verification key only', async () => {
    const token = await signInternalContext(SIGNING, { user: null, requestId: 'r' }, ORDERS);
    await expect(verifyInternalContext(parseRouterSigningKey(SIGNING) as never, token, ORDERS)).rejects.toThrow(TypeError);
    expect(await verifyInternalContext(verificationKeyOf(parseRouterSigningKey(SIGNING)), token, ORDERS)).toMatchObject({ requestId: 'r' });
  });

  it('a subgraph\'s config carries the public key and nothing that signs, whatever its environment holds', () => {
    const env = { MONGO_URL: 'mongodb://127.0.0.1:27017', ROUTER_PUBLIC_KEY: PUBLIC, ROUTER_SIGNING_KEY: SIGNING, ROUTER_SECRET: 'old-shared-secret-0123456789' };
    const config = loadServiceConfig('orders', 4003, env, ['node', 'x']);
    expect(config.routerPublicKey).toBe(PUBLIC);
    const text = JSON.stringify(config);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('old-shared-secret');
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['routerSecret']));
    expect(Object.keys(config).filter((k) => /sign|secret|private/i.test(k))).toEqual([]);
  });
});

describe('router keys: development pair and production', () => {
  it('generates the development pair once; the router reads the private half, subgraphs the public half', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'router-keys-')), 'router');
    try {
      // processes starting at once end up with one pair
      const outcomes = await Promise.all([ensureDevRouterKeys(dir), ensureDevRouterKeys(dir), ensureDevRouterKeys(dir)]);
      expect(outcomes.filter((o) => o === 'generated')).toHaveLength(1);
      const signing = await resolveRouterSigningKey({ nodeEnv: 'development', devKeyDir: dir });
      const verifying = await resolveRouterPublicKey({ nodeEnv: 'development', devKeyDir: dir });
      expect(verifying.publicKey.type).toBe('public');
      const token = await signInternalContext(signing, { user: null, requestId: 'dev' }, ORDERS);
      expect(await verifyInternalContext(verifying, token, ORDERS)).toMatchObject({ requestId: 'dev' });
      expect(createPublicKey(await readFile(path.join(dir, DEV_ROUTER_PUBLIC_KEY_FILE), 'utf8')).equals(verifying.publicKey)).toBe(true);
      expect(await readFile(path.join(dir, DEV_ROUTER_SIGNING_KEY_FILE), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    } finally {
      await rm(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('production requires both keys and refuses the development pair', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'router-keys-')), 'router');
    try {
      await expect(resolveRouterSigningKey({ nodeEnv: 'production', devKeyDir: dir })).rejects.toThrow(/ROUTER_SIGNING_KEY: required in production/);
      await expect(resolveRouterPublicKey({ nodeEnv: 'production', devKeyDir: dir })).rejects.toThrow(/ROUTER_PUBLIC_KEY: required in production/);
      await ensureDevRouterKeys(dir);
      const devSigning = await readFile(path.join(dir, DEV_ROUTER_SIGNING_KEY_FILE), 'utf8');
      const devPublic = await readFile(path.join(dir, DEV_ROUTER_PUBLIC_KEY_FILE), 'utf8');
      await expect(resolveRouterSigningKey({ nodeEnv: 'production', value: devSigning, devKeyDir: dir })).rejects.toThrow(/is the development key/);
      await expect(resolveRouterPublicKey({ nodeEnv: 'production', value: devPublic, devKeyDir: dir })).rejects.toThrow(/is the development key/);
      // its own keys start
      expect((await resolveRouterSigningKey({ nodeEnv: 'production', value: SIGNING, devKeyDir: dir })).alg).toBe('EdDSA');
      expect((await resolveRouterPublicKey({ nodeEnv: 'production', value: PUBLIC, devKeyDir: dir })).alg).toBe('EdDSA');
    } finally {
      await rm(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('names a key of the wrong kind', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => parseRouterSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/Ed25519 \(EdDSA\) or P-256/);
    expect(() => parseRouterPublicKey('not a key')).toThrow(/ROUTER_PUBLIC_KEY: not a readable public key/);
    expect(() => parseRouterPublicKey('{"kty":')).toThrow(/neither a PEM key nor a JWK/);
  });
});
