import { randomBytes, scrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueSuffix } from '@commerce/testing';
import { startCustomers, type CustomersService } from '../src/index.ts';
import { LOG_IN, SIGN_UP, startTestCustomers, TEST_SCRYPT_LOG_N, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

// every scrypt run of the services in this process, counted by a wrapper around node:crypto's
const kdf = vi.hoisted(() => ({ runs: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const counted = ((...args: Parameters<typeof crypto.scrypt>) => {
    kdf.runs++;
    return (crypto.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof crypto.scrypt;
  return { ...crypto, default: { ...crypto, scrypt: counted }, scrypt: counted };
});

/**
 * Log-in brute-force protection (security review, issue 14, finding 3): failed attempts counted per
 * account and per client IP in Redis, TOO_MANY_ATTEMPTS without a KDF over the limit, growing
 * blocks, a reset on success; and the transparent rehash of weaker scrypt hashes.
 */

// the per-account limit is the default (10); the per-IP one is lowered so a test can reach it quickly
const IP_LIMIT = 30;
let t: TestCustomers;
/** a second instance on the same database: the counters live in Redis, not in a process */
let second: CustomersService;

beforeAll(async () => {
  t = await startTestCustomers({ CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP: String(IP_LIMIT) });
  second = await startCustomers({ ...t.env, CUSTOMERS_PORT: '0' });
});

afterAll(async () => {
  await second?.stop();
  await t?.stop();
});

let ipCounter = 0;
/** a client address of its own per test (TEST-NET-3), so tests never share an IP bucket */
const freshIp = () => `203.0.113.${++ipCounter}`;

async function newCustomer(tag: string) {
  const email = uniqueEmail(tag);
  const password = `pw-${uniqueSuffix()}`;
  const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password, name: tag } });
  expect(res.data!.signUp.userErrors).toEqual([]);
  return { email, password, id: res.data!.signUp.customer!.id };
}

async function logIn(email: string, password: string, clientIp?: string, via: 'first' | 'second' = 'first') {
  if (via === 'second') {
    // the same call, to the other instance
    const { gql, testRouterContext } = await import('@commerce/testing');
    const ctx = await testRouterContext('customers', null, clientIp ? { clientIp } : {});
    const res = await gql<{ logIn: AuthPayloadShape }>(second.url, LOG_IN, { email, password }, { 'x-commerce-context': ctx });
    expect(res.errors).toBeUndefined();
    return res.data!.logIn;
  }
  const res = await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email, password }, null, clientIp ? { clientIp } : {});
  expect(res.errors).toBeUndefined();
  return res.data!.logIn;
}

const codes = (p: AuthPayloadShape) => p.userErrors.map((e) => e.code);
const retryAfter = (p: AuthPayloadShape) => Number(/try again in (\d+) seconds/.exec(p.userErrors[0]?.message ?? '')?.[1]);

/** a hash as the service stored it before the upgrade: `scrypt$N$8$1$salt$hash` with a lower N */
async function legacyHash(password: string, logN: number): Promise<string> {
  const N = 2 ** logN;
  const salt = randomBytes(16);
  const key = await new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1 }, (err, k) => (err ? reject(err) : resolve(k))));
  return ['scrypt', N, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}
const nOf = (hash: string) => Number(hash.split('$')[1]);

/** Prometheus text of the first instance's /metrics */
const metricsText = async () => (await fetch(new URL('/metrics', t.svc.url))).text();

describe('per-account throttle', () => {
  it('throttles an account after 20 failed log-ins, that account only: another one on the same IP still logs in', async () => {
    const ip = freshIp();
    const victim = await newCustomer('victim');
    const neighbour = await newCustomer('neighbour');
    const results: AuthPayloadShape[] = [];
    // alternating between two instances: the count is shared through Redis
    for (let i = 0; i < 20; i++) results.push(await logIn(victim.email, `wrong-${i}-password`, ip, i % 2 ? 'second' : 'first'));

    expect(results.slice(0, 10).map(codes)).toEqual(Array(10).fill(['INVALID_CREDENTIALS']));
    expect(results.slice(10).map(codes)).toEqual(Array(10).fill(['TOO_MANY_ATTEMPTS']));
    for (const r of results.slice(10)) {
      expect(r).toMatchObject({ accessToken: null, customer: null });
      expect(r.userErrors[0]!.message).toMatch(/^Too many failed log-in attempts; try again in \d+ seconds$/);
      // the first block: CUSTOMERS_LOGIN_BLOCK_SECONDS (15 minutes)
      expect(retryAfter(r)).toBeGreaterThan(800);
      expect(retryAfter(r)).toBeLessThanOrEqual(900);
    }
    // the right password does not get through either while the account is blocked
    expect(codes(await logIn(victim.email, victim.password, ip))).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(codes(await logIn(` ${victim.email.toUpperCase()} `, victim.password, freshIp()))).toEqual(['TOO_MANY_ATTEMPTS']);

    // same IP, another account: unaffected
    const ok = await logIn(neighbour.email, neighbour.password, ip);
    expect(ok.userErrors).toEqual([]);
    expect(ok.customer?.id).toBe(neighbour.id);
  });

  it('throttles an unknown email exactly like an account (no hint which emails exist)', async () => {
    const ip = freshIp();
    const ghost = uniqueEmail('ghost');
    const results: AuthPayloadShape[] = [];
    for (let i = 0; i < 12; i++) results.push(await logIn(ghost, `wrong-${i}-password`, ip));
    expect(results.map(codes)).toEqual([...Array(10).fill(['INVALID_CREDENTIALS']), ['TOO_MANY_ATTEMPTS'], ['TOO_MANY_ATTEMPTS']]);
  });

  it('counts each aliased logIn of one request: 12 aliases with a wrong password throttle the account', async () => {
    const c = await newCustomer('aliases');
    const fields = Array.from({ length: 12 }, (_, i) => `a${i}: logIn(email: $email, password: $password) { accessToken userErrors { code message } }`);
    const res = await t.call<Record<string, AuthPayloadShape>>(`mutation Spray($email: String!, $password: String!) { ${fields.join('\n')} }`, { email: c.email, password: 'wrong-password!' }, null, { clientIp: freshIp() });
    expect(res.errors).toBeUndefined();
    const answers = Array.from({ length: 12 }, (_, i) => codes(res.data![`a${i}`]!));
    // mutation fields run one after another: the first 10 are checked, the rest refused
    expect(answers).toEqual([...Array(10).fill(['INVALID_CREDENTIALS']), ['TOO_MANY_ATTEMPTS'], ['TOO_MANY_ATTEMPTS']]);
    // and the account stays throttled for the next request, with the right password too
    expect(codes(await logIn(c.email, c.password, freshIp()))).toEqual(['TOO_MANY_ATTEMPTS']);
  });

  it('runs no KDF for a refused attempt', async () => {
    const c = await newCustomer('no-kdf');
    const ip = freshIp();
    const before = kdf.runs;
    for (let i = 0; i < 10; i++) expect(codes(await logIn(c.email, `wrong-${i}-password`, ip))).toEqual(['INVALID_CREDENTIALS']);
    // the wrapper sees the KDFs of checked attempts: one per attempt
    expect(kdf.runs - before).toBe(10);

    const blocked = kdf.runs;
    for (let i = 0; i < 5; i++) expect(codes(await logIn(c.email, i % 2 ? c.password : `wrong-${i}-password`, ip))).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(kdf.runs - blocked).toBe(0);
    // and the service counts them too
    const text = await metricsText();
    expect(text).toMatch(/^customers_login_throttled_total\{scope="account",service="customers"\} [1-9]\d*$/m);
    expect(text).toMatch(/^customers_password_kdf_total\{purpose="verify",service="customers"\} [1-9]\d*$/m);
  });

  it('starts the count over after a successful log-in', async () => {
    const c = await newCustomer('reset');
    const ip = freshIp();
    for (let i = 0; i < 9; i++) expect(codes(await logIn(c.email, `wrong-${i}-password`, ip))).toEqual(['INVALID_CREDENTIALS']);
    expect((await logIn(c.email, c.password, ip)).userErrors).toEqual([]);
    // without the reset the second of these would be refused (the 11th attempt in the window)
    for (let i = 0; i < 10; i++) expect(codes(await logIn(c.email, `again-${i}-password`, ip))).toEqual(['INVALID_CREDENTIALS']);
    expect(codes(await logIn(c.email, c.password, ip))).toEqual(['TOO_MANY_ATTEMPTS']);
  });

  it('counts attempts without a client IP (a direct call) per account all the same', async () => {
    const c = await newCustomer('no-ip');
    for (let i = 0; i < 10; i++) await logIn(c.email, `wrong-${i}-password`);
    expect(codes(await logIn(c.email, c.password))).toEqual(['TOO_MANY_ATTEMPTS']);
  });
});

describe('per-IP throttle', () => {
  it(`refuses every log-in from an IP after ${IP_LIMIT} failures across accounts, but not from other IPs`, async () => {
    const ip = freshIp();
    const c = await newCustomer('ip-limit');
    // spraying: one or two attempts per email, never the per-account limit
    for (let i = 0; i < IP_LIMIT; i++) expect(codes(await logIn(uniqueEmail('spray'), 'password-123', ip, i % 2 ? 'second' : 'first'))).toEqual(['INVALID_CREDENTIALS']);
    const refused = await logIn(c.email, c.password, ip);
    expect(codes(refused)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(retryAfter(refused)).toBeGreaterThan(800);
    expect(codes(await logIn(uniqueEmail('spray'), 'password-123', ip))).toEqual(['TOO_MANY_ATTEMPTS']);
    // the account itself is not blocked: from another address it logs in
    expect((await logIn(c.email, c.password, freshIp())).userErrors).toEqual([]);
  });

  it('buckets IPv6 clients by /64 and IPv4-mapped addresses as IPv4', async () => {
    const site = `2001:db8:${(++ipCounter).toString(16)}`;
    const prefix = `${site}:1`;
    for (let i = 0; i < IP_LIMIT; i++) await logIn(uniqueEmail('v6'), 'password-123', `${prefix}::${(i + 1).toString(16)}`);
    const c = await newCustomer('v6');
    expect(codes(await logIn(c.email, c.password, `${prefix}:ffff:1:2:3`))).toEqual(['TOO_MANY_ATTEMPTS']);
    expect((await logIn(c.email, c.password, `${site}:2::1`)).userErrors).toEqual([]); // the next /64

    const v4 = freshIp();
    for (let i = 0; i < IP_LIMIT; i++) await logIn(uniqueEmail('mapped'), 'password-123', `::ffff:${v4}`);
    expect(codes(await logIn(c.email, c.password, v4))).toEqual(['TOO_MANY_ATTEMPTS']);
  });

  it('does not count successful log-ins against the IP', async () => {
    const ip = freshIp();
    const c = await newCustomer('busy-nat');
    for (let i = 0; i < IP_LIMIT + 5; i++) expect((await logIn(c.email, c.password, ip)).userErrors).toEqual([]);
  });
});

describe('growing blocks', () => {
  let fast: TestCustomers;
  beforeAll(async () => {
    fast = await startTestCustomers({ CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2', CUSTOMERS_LOGIN_BLOCK_SECONDS: '1', CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS: '4' });
  });
  afterAll(async () => {
    await fast?.stop();
  });

  it('doubles the block each time the limit is reached again, up to the maximum, and forgets it after a success', async () => {
    const email = uniqueEmail('blocks');
    const password = 'right-password';
    expect((await fast.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password, name: 'B' } })).data!.signUp.userErrors).toEqual([]);
    const attempt = async (pw: string) => (await fast.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email, password: pw })).data!.logIn;
    const blockAfterTwoFailures = async () => {
      expect(codes(await attempt('wrong-password-1'))).toEqual(['INVALID_CREDENTIALS']);
      expect(codes(await attempt('wrong-password-2'))).toEqual(['INVALID_CREDENTIALS']);
      const refused = await attempt('wrong-password-3');
      expect(codes(refused)).toEqual(['TOO_MANY_ATTEMPTS']);
      return retryAfter(refused);
    };
    const waitOut = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000 + 300));

    expect(await blockAfterTwoFailures()).toBe(1);
    await waitOut(1);
    expect(await blockAfterTwoFailures()).toBe(2);
    await waitOut(2);
    expect(await blockAfterTwoFailures()).toBe(4);
    await waitOut(4);
    expect(await blockAfterTwoFailures()).toBe(4); // CUSTOMERS_LOGIN_MAX_BLOCK_SECONDS
    await waitOut(4);
    expect((await attempt(password)).userErrors).toEqual([]);
    expect(await blockAfterTwoFailures()).toBe(1); // a success starts the escalation over
  }, 30_000);
});

describe('rehash on log-in', () => {
  it('upgrades a hash made with a lower N to today\'s parameters, as a version commit', async () => {
    const c = await newCustomer('rehash');
    const customers = t.svc.conn.collection('customers');
    // an account from before the upgrade: its hash was made with N = 2^10
    const legacy = await legacyHash(c.password, TEST_SCRYPT_LOG_N - 2);
    await customers.updateOne({ _id: c.id } as never, { $set: { passwordHash: legacy } });
    const before = (await customers.findOne({ _id: c.id } as never))!;
    expect(before.passwordHash).toBe(legacy);
    expect(nOf(before.passwordHash)).toBe(2 ** (TEST_SCRYPT_LOG_N - 2));

    // a wrong password changes nothing
    expect(codes(await logIn(c.email, 'wrong-password!', freshIp()))).toEqual(['INVALID_CREDENTIALS']);
    expect((await customers.findOne({ _id: c.id } as never))!.passwordHash).toBe(legacy);

    const ok = await logIn(c.email, c.password, freshIp());
    expect(ok.userErrors).toEqual([]);
    const after = (await customers.findOne({ _id: c.id } as never))!;
    expect(after.passwordHash).not.toBe(legacy);
    expect(after.passwordHash).toMatch(new RegExp(`^scrypt\\$${2 ** TEST_SCRYPT_LOG_N}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{43}$`));
    expect(after.version).toBe(before.version + 1);
    expect(await t.svc.conn.collection('outbox').countDocuments({ _id: `customers:${c.id}:${after.version}` } as never)).toBe(1);

    // the new hash works, and a current hash is left alone
    expect((await logIn(c.email, c.password, freshIp())).userErrors).toEqual([]);
    const again = (await customers.findOne({ _id: c.id } as never))!;
    expect(again.passwordHash).toBe(after.passwordHash);
    expect(again.version).toBe(after.version);
  });

  it('rehashes once when two log-ins race (the other writer\'s equally good hash stands)', async () => {
    const c = await newCustomer('rehash-race');
    const customers = t.svc.conn.collection('customers');
    await customers.updateOne({ _id: c.id } as never, { $set: { passwordHash: await legacyHash(c.password, TEST_SCRYPT_LOG_N - 2) } });
    const { version } = (await customers.findOne({ _id: c.id } as never))!;
    const results = await Promise.all([logIn(c.email, c.password, freshIp()), logIn(c.email, c.password, freshIp(), 'second')]);
    for (const r of results) expect(r.userErrors).toEqual([]);
    const after = (await customers.findOne({ _id: c.id } as never))!;
    expect(nOf(after.passwordHash)).toBe(2 ** TEST_SCRYPT_LOG_N);
    expect(after.version).toBe(version + 1);
    expect((await logIn(c.email, c.password, freshIp())).userErrors).toEqual([]);
  });
});
