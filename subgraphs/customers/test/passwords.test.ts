import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../src/domain/passwords.ts';
import { normalizeEmail, validateSignUp } from '../src/domain/validation.ts';

describe('passwords', () => {
  it('hashes with scrypt N=2^15 r=8 p=1 and a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
  });

  it('treats canonically equivalent passwords alike (NFKC)', async () => {
    const h = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', h)).toBe(true);
  });

  it('never matches a malformed or abusive stored hash', async () => {
    const good = await hashPassword('pw-12345678');
    const [, , , , salt, hash] = good.split('$');
    for (const bad of ['', 'plain', `bcrypt$32768$8$1$${salt}$${hash}`, `scrypt$30000$8$1$${salt}$${hash}`, `scrypt$${2 ** 24}$8$1$${salt}$${hash}`, `scrypt$32768$8$1$${salt}`, `scrypt$32768$8$1$$${hash}`]) {
      expect(await verifyPassword('pw-12345678', bad)).toBe(false);
    }
  });

  it('burns a KDF run for unknown accounts', async () => {
    const started = performance.now();
    await burnPasswordCheck('whatever'); // first call also makes the dummy hash
    await burnPasswordCheck('whatever');
    expect(performance.now() - started).toBeGreaterThan(20);
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
