import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { ConfigError } from '@commerce/platform';
import { findRepoRoot, resolveSigningKey } from '../src/domain/signing-key.ts';
import { loadCustomersConfig, MAX_ACCESS_TOKEN_TTL_SECONDS, startCustomers, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/index.ts';
import { SIGN_UP, LOG_IN, startTestCustomers, testEnv, uniqueEmail, type AuthPayloadShape } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'customers-keytest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pkcs8 = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('signing key resolution', () => {
  it('generates a key file once (mode 0600) and reuses it, also when several processes race', async () => {
    const file = path.join(dir, 'race', 'jwt-private.pem');
    const keys = await Promise.all(Array.from({ length: 4 }, () => resolveSigningKey({ nodeEnv: 'development', keyFile: file })));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await resolveSigningKey({ nodeEnv: 'development', keyFile: file });
    expect(again.kid).toBe(keys[0]!.kid);
    expect(again.source).toBe('file');
    expect(again.publicJwk).not.toHaveProperty('d');
  });

  it('defaults to <repo>/.data/keys/jwt-private.pem', () => {
    expect(findRepoRoot()).toBe(path.resolve(import.meta.dirname, '../../..'));
  });

  it('uses JWT_PRIVATE_KEY (also with \\n escapes) and JWT_KEY_ID', async () => {
    const pem = pkcs8();
    const k = await resolveSigningKey({ nodeEnv: 'production', privateKeyPem: pem.replace(/\n/g, '\\n'), keyId: 'k-2024' });
    expect(k.kid).toBe('k-2024');
    expect(k.source).toBe('env');
  });

  it('refuses to start in production without a key, and never generates one there', async () => {
    await expect(resolveSigningKey({ nodeEnv: 'production' })).rejects.toThrow(ConfigError);
    const file = path.join(dir, 'prod', 'jwt-private.pem');
    await expect(resolveSigningKey({ nodeEnv: 'production', keyFile: file })).rejects.toThrow(/JWT_PRIVATE_KEY/);
    await expect(stat(file)).rejects.toThrow();
  });

  it('rejects a malformed or weak key without echoing it', async () => {
    const err = await resolveSigningKey({ nodeEnv: 'test', privateKeyPem: 'secret-garbage-material' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).not.toContain('secret-garbage-material');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await expect(resolveSigningKey({ nodeEnv: 'test', privateKeyPem: ec })).rejects.toThrow(/RSA/);
    await expect(resolveSigningKey({ nodeEnv: 'test', privateKeyPem: pkcs8(1024) })).rejects.toThrow(/2048/);
  });
});

describe('startCustomers configuration', () => {
  it('fails with a ConfigError in production without JWT_PRIVATE_KEY', async () => {
    const { env, keyDir } = await testEnv({ NODE_ENV: 'production' });
    delete env.JWT_KEY_FILE;
    await expect(startCustomers(env)).rejects.toThrow(/JWT_PRIVATE_KEY: required in production/);
    await rm(keyDir, { recursive: true, force: true });
  });

  it('refuses an ACCESS_TOKEN_TTL above 24h at config parse, before anything starts', async () => {
    const { env, keyDir } = await testEnv();
    try {
      for (const ttl of ['25h', '2d', '86401', '1441m']) {
        const err = (() => {
          try {
            loadCustomersConfig({ ...env, ACCESS_TOKEN_TTL: ttl });
          } catch (e) {
            return e;
          }
        })();
        expect(err, ttl).toBeInstanceOf(ConfigError);
        expect(String(err), ttl).toMatch(/ACCESS_TOKEN_TTL: at most 24h/);
      }
      await expect(startCustomers({ ...env, ACCESS_TOKEN_TTL: '48h' })).rejects.toThrow(/ACCESS_TOKEN_TTL: at most 24h/);
      // the cap itself is allowed
      expect(loadCustomersConfig({ ...env, ACCESS_TOKEN_TTL: '24h' }).jwt.ttlSeconds).toBe(MAX_ACCESS_TOKEN_TTL_SECONDS);
      expect(loadCustomersConfig({ ...env, ACCESS_TOKEN_TTL: '86400' }).jwt.ttlSeconds).toBe(86_400);
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });

  it('rejects a malformed ACCESS_TOKEN_TTL', async () => {
    const { env, keyDir } = await testEnv({ ACCESS_TOKEN_TTL: 'forever' });
    await expect(startCustomers(env)).rejects.toThrow(/ACCESS_TOKEN_TTL/);
    await rm(keyDir, { recursive: true, force: true });
  });

  it('in production: uses JWT_PRIVATE_KEY and refuses the SEED_ADMIN_* seed', async () => {
    const t = await startTestCustomers({ NODE_ENV: 'production', JWT_PRIVATE_KEY: pkcs8(), JWT_KEY_ID: 'prod-1', SEED_ADMIN_EMAIL: 'root@example.com', SEED_ADMIN_PASSWORD: 'root-password' });
    try {
      expect(t.svc.seed).toBe('refused');
      expect(await t.svc.conn.collection('customers').countDocuments({})).toBe(0);
      const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email: uniqueEmail('prod'), password: 'prod-password', name: 'Prod' } });
      const jwks = createRemoteJWKSet(new URL(t.svc.jwksUrl));
      const { protectedHeader } = await jwtVerify(res.data!.signUp.accessToken!, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
      expect(protectedHeader.kid).toBe('prod-1');
    } finally {
      await t.stop();
    }
  });

  it('honours ACCESS_TOKEN_TTL and keeps tokens valid across a restart (persisted dev key)', async () => {
    const first = await startTestCustomers({ ACCESS_TOKEN_TTL: '15m' });
    const email = uniqueEmail('restart');
    let token: string;
    let kid: string;
    let customerId: string;
    try {
      const res = await first.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password: 'restart-password', name: 'Restart' } });
      token = res.data!.signUp.accessToken!;
      customerId = res.data!.signUp.customer!.id;
      const claims = decodeJwt(token);
      expect(claims.exp! - claims.iat!).toBe(900);
      kid = first.svc.tokens.kid;
    } finally {
      await first.svc.stop(); // keep the database and the key file for the second start
    }
    const second = await startCustomers(first.env);
    try {
      expect(second.tokens.kid).toBe(kid);
      expect(second.seed).toBe('exists');
      const jwks = createLocalJWKSet((await (await fetch(second.jwksUrl)).json()) as never);
      const { payload } = await jwtVerify(token, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
      expect(payload.sub).toBe(customerId);
      // the account survived too
      const { gql, testRouterContext } = await import('@commerce/testing');
      const ctx = await testRouterContext('customers');
      const login = await gql<{ logIn: AuthPayloadShape }>(second.url, LOG_IN, { email, password: 'restart-password' }, { 'x-commerce-context': ctx });
      expect(login.data!.logIn.userErrors).toEqual([]);
    } finally {
      await second.conn.dropDatabase().catch(() => undefined);
      await second.stop();
      await rm(path.dirname(first.env.JWT_KEY_FILE!), { recursive: true, force: true });
    }
  });
});
