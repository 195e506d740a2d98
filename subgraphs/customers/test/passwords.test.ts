import { describe, expect, it } from 'vitest';
import { createPasswordHasher, hashParams, type KdfPurpose } from '../src/domain/passwords.ts';
import { normalizeEmail, validateSignUp } from '../src/domain/validation.ts';
import { loadCustomersConfig } from '../src/index.ts';

// N = 2^12 unless a test says otherwise: these tests are about the format and the rules, not the cost
const hasher = createPasswordHasher({ logN: 12 });

function counting(logN: number) {
  const runs: KdfPurpose[] = [];
  return { runs, hasher: createPasswordHasher({ logN, onKdf: (p) => runs.push(p) }) };
}

describe('passwords', () => {
  it('hashes with scrypt N=2^17 r=8 p=1 by default (OWASP), the parameters in the hash', async () => {
    const strong = createPasswordHasher();
    expect(strong.params).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const h = await strong.hash('correct horse'); // 128 MiB: maxmem must allow it
    expect(h).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hashParams(h)).toEqual({ N: 131072, r: 8, p: 1 });
    expect(await strong.verify('correct horse', h)).toEqual({ ok: true, needsRehash: false });
  });

  it('uses a fresh salt each time and verifies', async () => {
    const [a, b] = await Promise.all([hasher.hash('correct horse'), hasher.hash('correct horse')]);
    expect(a).toMatch(/^scrypt\$4096\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect((await hasher.verify('correct horse', a)).ok).toBe(true);
    expect((await hasher.verify('correct horse', b)).ok).toBe(true);
    expect((await hasher.verify('correct horsE', a)).ok).toBe(false);
  });

  it('treats canonically equivalent passwords alike (NFKC)', async () => {
    const h = await hasher.hash('caf\u00e9-password');
    expect((await hasher.verify('cafe\u0301-password', h)).ok).toBe(true);
  });

  it('never matches a malformed or abusive stored hash', async () => {
    const good = await hasher.hash('pw-12345678');
    const [, , , , salt, hash] = good.split('$');
    for (const bad of ['', 'plain', `bcrypt$4096$8$1$${salt}$${hash}`, `scrypt$30000$8$1$${salt}$${hash}`, `scrypt$${2 ** 24}$8$1$${salt}$${hash}`, `scrypt$4096$8$1$${salt}`, `scrypt$4096$8$1$$${hash}`]) {
      expect(await hasher.verify('pw-12345678', bad)).toEqual({ ok: false, needsRehash: false });
    }
  });

  it('asks for a rehash only when the right password matches a hash weaker than today\'s', async () => {
    const old = await createPasswordHasher({ logN: 10 }).hash('pw-12345678');
    const { runs, hasher: today } = counting(12);
    expect(await today.verify('pw-12345678', old)).toEqual({ ok: true, needsRehash: true });
    expect(await today.verify('wrong-password', old)).toEqual({ ok: false, needsRehash: false });
    // a weaker hash is padded to today's cost, so a wrong password takes as long as for an unknown email
    expect(runs).toEqual(['verify', 'pad', 'verify', 'pad']);
    // never downgrades: a stronger hash than today's is left alone
    const stronger = await createPasswordHasher({ logN: 13 }).hash('pw-12345678');
    expect(await today.verify('pw-12345678', stronger)).toEqual({ ok: true, needsRehash: false });
  });

  it('burns a KDF run for unknown accounts', async () => {
    const { runs, hasher: h } = counting(14);
    const started = performance.now();
    await h.burn('whatever'); // first call also makes the dummy hash
    await h.burn('whatever');
    expect(performance.now() - started).toBeGreaterThan(20);
    expect(runs).toEqual(['hash', 'burn', 'burn']);
  });

  it('runs at most maxConcurrent KDFs at once', async () => {
    let active = 0;
    let peak = 0;
    const one = createPasswordHasher({ logN: 12, maxConcurrent: 1, onKdf: () => { active++; peak = Math.max(peak, active); setImmediate(() => active--); } });
    await Promise.all(Array.from({ length: 4 }, (_, i) => one.hash(`pw-${i}-long-enough`)));
    expect(peak).toBe(1);
  });
});

describe('customers config: scrypt and log-in throttle', () => {
  const env = { NODE_ENV: 'test', MONGO_URL: 'mongodb://127.0.0.1:1' };

  it('defaults to N=2^17 and OWASP-style throttle limits', () => {
    const c = loadCustomersConfig(env);
    expect(c.scrypt).toEqual({ logN: 17, maxConcurrent: 2 });
    expect(c.login).toEqual({ maxFailuresPerAccount: 10, maxFailuresPerIp: 100, windowSeconds: 900, blockSeconds: 900, maxBlockSeconds: 86_400 });
  });

  it('refuses N below 2^14 outside NODE_ENV=test, and above 2^18 anywhere', () => {
    expect(loadCustomersConfig({ ...env, CUSTOMERS_SCRYPT_LOG_N: '12' }).scrypt.logN).toBe(12);
    expect(() => loadCustomersConfig({ ...env, NODE_ENV: 'development', CUSTOMERS_SCRYPT_LOG_N: '12' })).toThrow(/CUSTOMERS_SCRYPT_LOG_N: at least 14/);
    expect(loadCustomersConfig({ ...env, NODE_ENV: 'development', CUSTOMERS_SCRYPT_LOG_N: '14' }).scrypt.logN).toBe(14);
    expect(() => loadCustomersConfig({ ...env, CUSTOMERS_SCRYPT_LOG_N: '20' })).toThrow(/CUSTOMERS_SCRYPT_LOG_N/);
    expect(() => loadCustomersConfig({ ...env, CUSTOMERS_LOGIN_BLOCK_SECONDS: '600', CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS: '60' })).toThrow(/CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS/);
  });
});

describe('sign-up validation', () => {
  it('normalises email and name', () => {
    expect(normalizeEmail('  Foo.Bar@Example.COM ')).toBe('foo.bar@example.com');
    expect(validateSignUp({ email: ' A@B.io ', password: '12345678', name: ' Ann ' })).toEqual({ ok: true, value: { email: 'a@b.io', password: '12345678', name: 'Ann' } });
  });

  it('counts characters, not UTF-16 units, and rejects control characters in names', () => {
    expect(validateSignUp({ email: 'a@b.io', password: '🔑'.repeat(8), name: '😀'.repeat(100) }).ok).toBe(true);
    expect(validateSignUp({ email: 'a@b.io', password: '🔑'.repeat(129), name: 'x' })).toMatchObject({ ok: false, errors: [{ code: 'PASSWORD_TOO_LONG' }] });
    expect(validateSignUp({ email: 'a@b.io', password: '12345678', name: 'a\u0000b' })).toMatchObject({ ok: false, errors: [{ code: 'INVALID_NAME', field: ['input', 'name'] }] });
  });

  it('rejects an oversized email quickly', () => {
    const started = performance.now();
    expect(validateSignUp({ email: `${'a'.repeat(1_000_000)}@example.com`, password: '12345678', name: 'x' })).toMatchObject({ ok: false, errors: [{ code: 'INVALID_EMAIL' }] });
    expect(performance.now() - started).toBeLessThan(200);
  });
});
