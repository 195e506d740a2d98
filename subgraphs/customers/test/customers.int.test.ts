import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { pino } from 'pino';
import { expectOneBatch, gql } from '@commerce/testing';
import { CommandCounter, generateRouterKeyPair, isId, signInternalContext, type Identity } from '@commerce/platform';
import { DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/index.ts';
import { LOG_IN, ME, SIGN_UP, startTestCustomers, TEST_SCRYPT_LOG_N, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

// every scrypt run of the service in this process, with its cost, recorded by a wrapper around node:crypto's
const kdf = vi.hoisted(() => ({ runs: [] as string[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const recorded = ((...args: unknown[]) => {
    const { N, r, p } = (typeof args[3] === 'object' && args[3] ? args[3] : {}) as { N?: number; r?: number; p?: number };
    kdf.runs.push(`N=${N} r=${r} p=${p}`);
    return (crypto.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof crypto.scrypt;
  return { ...crypto, default: { ...crypto, scrypt: recorded }, scrypt: recorded };
});

// every log line the service writes, at the most verbose level, with no redaction of our own
const logLines: string[] = [];
const captureLogger = pino({ level: 'trace', base: { service: 'customers' } }, { write: (line: string) => void logLines.push(line) });

let t: TestCustomers;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  t = await startTestCustomers({}, { logger: captureLogger, monitorCommands: true });
  jwks = createRemoteJWKSet(new URL(t.svc.jwksUrl));
});

afterAll(async () => {
  await t?.stop();
});

async function signUp(input: { email: string; password: string; name: string }) {
  const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input });
  expect(res.status).toBe(200);
  expect(res.errors).toBeUndefined();
  return res.data!.signUp;
}

async function logIn(email: string, password: string) {
  const res = await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email, password });
  expect(res.status).toBe(200);
  expect(res.errors).toBeUndefined();
  return res.data!.logIn;
}

async function newCustomer(tag = 'c') {
  const email = uniqueEmail(tag);
  const password = `pw-${email}`;
  const payload = await signUp({ email, password, name: `Name ${tag}` });
  expect(payload.userErrors).toEqual([]);
  return { email, password, id: payload.customer!.id, token: payload.accessToken! };
}

const customers = () => t.svc.conn.collection('customers');

describe('signUp', () => {
  it('creates the account and returns an RS256 token that verifies against the served JWKS', async () => {
    const email = uniqueEmail('Happy');
    const payload = await signUp({ email: `  ${email.toUpperCase()} `, password: 'correct horse battery', name: '  Ada Lovelace ' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.customer).toMatchObject({ email: email.toLowerCase(), name: 'Ada Lovelace' });
    expect(isId('cust', payload.customer!.id)).toBe(true);

    const token = payload.accessToken!;
    const { payload: claims, protectedHeader } = await jwtVerify(token, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBe(t.svc.tokens.kid);
    expect(claims.sub).toBe(payload.customer!.id);
    expect(claims.roles).toEqual(['CUSTOMER']);
    // no personal data in a token anyone holding it can read: the id and roles only
    expect(claims).not.toHaveProperty('email');
    expect(JSON.stringify(claims)).not.toContain(email.toLowerCase());
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.iss).toBe('commerce-customers');
    expect(claims.aud).toBe('commerce');

    const jwksRes = await fetch(t.svc.jwksUrl);
    expect(jwksRes.status).toBe(200);
    const set = (await jwksRes.json()) as { keys: Array<Record<string, unknown>> };
    // the current key (what signed the token) first, then the next one of the key ring
    expect(set.keys).toHaveLength(2);
    expect(set.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: decodeProtectedHeader(token).kid });
    expect(set.keys[1]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(set.keys[1]!.kid).not.toBe(set.keys[0]!.kid);
    for (const key of set.keys) expect(key).not.toHaveProperty('d'); // public parts only
  });

  it('answers EMAIL_TAKEN for an email in use, whatever its case and surrounding blanks', async () => {
    const { email } = await newCustomer('taken');
    for (const variant of [email, ` ${email.toUpperCase()}  `]) {
      const payload = await signUp({ email: variant, password: 'another-password', name: 'Someone Else' });
      expect(payload.accessToken).toBeNull();
      expect(payload.customer).toBeNull();
      expect(payload.userErrors).toEqual([{ field: ['input', 'email'], message: expect.any(String), code: 'EMAIL_TAKEN' }]);
    }
    expect(await customers().countDocuments({ email })).toBe(1);
  });

  it('lets exactly one of 8 concurrent sign-ups with one email succeed', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signUp({ email: i % 2 ? email.toUpperCase() : email, password: `password-${i}`, name: `Racer ${i}` })),
    );
    const winners = results.filter((r) => r.userErrors.length === 0);
    const losers = results.filter((r) => r.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.accessToken).toBeTruthy();
    expect(losers).toHaveLength(7);
    for (const l of losers) {
      expect(l.userErrors.map((e) => e.code)).toEqual(['EMAIL_TAKEN']);
      expect(l.accessToken).toBeNull();
    }
    expect(await customers().countDocuments({ email })).toBe(1);
    // the losers' outbox entries were voided: one commit, one event
    expect(await t.svc.conn.collection('outbox').countDocuments({ collection: 'customers', 'state.email': email })).toBe(1);
    // and the winner can log in with its own password
    const winnerIndex = results.findIndex((r) => r.userErrors.length === 0);
    expect((await logIn(email, `password-${winnerIndex}`)).customer?.id).toBe(winners[0]!.customer!.id);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email', password: 'long-enough', name: 'N' }, [['INVALID_EMAIL', 'email']]],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.com`, password: 'long-enough', name: 'N' }, [['INVALID_EMAIL', 'email']]],
    ['a short password', { email: uniqueEmail(), password: 'short', name: 'N' }, [['PASSWORD_TOO_SHORT', 'password']]],
    ['a password over 128 characters', { email: uniqueEmail(), password: 'p'.repeat(129), name: 'N' }, [['PASSWORD_TOO_LONG', 'password']]],
    ['a 10k-character name', { email: uniqueEmail(), password: 'long-enough', name: 'n'.repeat(10_000) }, [['INVALID_NAME', 'name']]],
    ['a blank name', { email: uniqueEmail(), password: 'long-enough', name: '   ' }, [['INVALID_NAME', 'name']]],
    ['everything wrong', { email: '', password: '', name: '' }, [['INVALID_EMAIL', 'email'], ['PASSWORD_TOO_SHORT', 'password'], ['INVALID_NAME', 'name']]],
  ])('rejects %s with userErrors, not an error', async (_label, input, expected) => {
    const before = await customers().countDocuments({});
    const payload = await signUp(input);
    expect(payload.accessToken).toBeNull();
    expect(payload.customer).toBeNull();
    expect(payload.userErrors.map((e) => [e.code, e.field?.[1]])).toEqual(expected);
    for (const e of payload.userErrors) expect(e.field?.[0]).toBe('input');
    expect(await customers().countDocuments({})).toBe(before);
  });

  it('answers a request missing a required input field with a validation error, not a 500', async () => {
    const res = await t.call(SIGN_UP, { input: { email: uniqueEmail(), password: 'long-enough' } });
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('logIn', () => {
  it('issues a token for the right password, with the email in any case', async () => {
    const c = await newCustomer('login');
    const payload = await logIn(` ${c.email.toUpperCase()} `, c.password);
    expect(payload.userErrors).toEqual([]);
    expect(payload.customer).toEqual({ id: c.id, email: c.email, name: 'Name login' });
    const { payload: claims } = await jwtVerify(payload.accessToken!, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    expect(claims.sub).toBe(c.id);
    expect(claims.roles).toEqual(['CUSTOMER']);
  });

  it('answers INVALID_CREDENTIALS, with one message, for a wrong password and an unknown email', async () => {
    const c = await newCustomer('bad');
    const wrong = await logIn(c.email, `${c.password}-nope`);
    const unknown = await logIn(uniqueEmail('nobody'), c.password);
    const malformed = await logIn('not-an-email', c.password);
    const huge = await logIn(c.email, 'x'.repeat(10_000));
    for (const p of [wrong, unknown, malformed, huge]) {
      expect(p.accessToken).toBeNull();
      expect(p.customer).toBeNull();
      expect(p.userErrors).toEqual([{ field: null, message: wrong.userErrors[0]!.message, code: 'INVALID_CREDENTIALS' }]);
    }
  });

  it('spends the KDF on an unknown email too (no timing oracle for which accounts exist)', async () => {
    const c = await newCustomer('timing');
    const refused = async (email: string) => {
      const p = await logIn(email, `${c.password}-nope`);
      expect(p.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']); // checked, not throttled
    };
    const wrongPassword = () => refused(c.email);
    const unknownEmail = () => refused(uniqueEmail('ghost'));
    // warm both paths: the first unknown email of the process also makes the dummy hash (a KDF of its own)
    await wrongPassword();
    await unknownEmail();

    // the same KDF work, counted: as many scrypt runs, at the same cost
    const kdfOf = async (attempt: () => Promise<void>) => {
      const before = kdf.runs.length;
      await attempt();
      return kdf.runs.slice(before);
    };
    const known = await kdfOf(wrongPassword);
    expect(known).toEqual([`N=${2 ** TEST_SCRYPT_LOG_N} r=8 p=1`]);
    expect(await kdfOf(unknownEmail)).toEqual(known);

    // and the same time, end to end: interleaved, warm, medians (the account's failures stay under
    // its throttle limit of 10: 2 + 5 here, after the 2 above)
    const time = async (attempt: () => Promise<void>) => {
      const started = performance.now();
      await attempt();
      return performance.now() - started;
    };
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      knownMs.push(await time(wrongPassword));
      unknownMs.push(await time(unknownEmail));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // scrypt is most of either; without the dummy check an unknown email costs well under half of a known one
    expect(median(unknownMs), `unknown ${unknownMs.map(Math.round)} ms, known ${knownMs.map(Math.round)} ms`).toBeGreaterThan(median(knownMs) * 0.6);
  });

  it('lets the seeded admin log in with the ADMIN role', async () => {
    expect(t.svc.seed).toBe('created');
    const payload = await logIn(DEFAULT_SEED_ADMIN_EMAIL, DEFAULT_SEED_ADMIN_PASSWORD);
    expect(payload.userErrors).toEqual([]);
    const { payload: claims } = await jwtVerify(payload.accessToken!, jwks, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    expect(claims.roles).toEqual(['CUSTOMER', 'ADMIN']);
  });

  it('seeds idempotently', async () => {
    expect(await t.svc.accounts.seedAdmin({ nodeEnv: 'test' })).toBe('exists');
    expect(await customers().countDocuments({ email: DEFAULT_SEED_ADMIN_EMAIL })).toBe(1);
    expect(await t.svc.accounts.seedAdmin({ nodeEnv: 'production', email: 'root@example.com', password: 'whatever-pw' })).toBe('refused');
    expect(await customers().countDocuments({ email: 'root@example.com' })).toBe(0);
  });
});

describe('me and customer(id)', () => {
  const as = (id: string, roles: Identity['roles'] = ['CUSTOMER']): Identity => ({ id, roles });

  it('returns the caller with their email', async () => {
    const c = await newCustomer('me');
    const res = await t.call<{ me: { id: string; email: string; name: string; createdAt: string } }>(ME, {}, as(c.id));
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toMatchObject({ id: c.id, email: c.email, name: 'Name me' });
    expect(new Date(res.data!.me.createdAt).toISOString()).toBe(res.data!.me.createdAt);
  });

  it('answers UNAUTHENTICATED without an identity', async () => {
    const res = await t.call(ME);
    expect(res.status).toBe(200);
    expect(res.data?.me ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers null for an identity whose account does not exist', async () => {
    const res = await t.call(ME, {}, as('cust_000000000aaaaaaaaaaaaaaaa'));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null });
  });

  it('opens customer(id) to admins only', async () => {
    const c = await newCustomer('lookup');
    const other = await newCustomer('other');
    const q = 'query ($id: ID!) { customer(id: $id) { id email name } }';
    const admin = await t.call(q, { id: c.id }, as(other.id, ['CUSTOMER', 'ADMIN']));
    expect(admin.errors).toBeUndefined();
    expect(admin.data).toEqual({ customer: { id: c.id, email: c.email, name: 'Name lookup' } });
    const customer = await t.call(q, { id: c.id }, as(other.id));
    expect(customer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(customer.data?.customer ?? null).toBeNull();
    const anonymous = await t.call(q, { id: c.id });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const unknown = await t.call(q, { id: 'nope' }, as(other.id, ['ADMIN']));
    expect(unknown.data).toEqual({ customer: null });
  });

  it('resolves entity references in one batch, and shows the email only to its owner or an admin', async () => {
    const a = await newCustomer('ent-a');
    const b = await newCustomer('ent-b');
    const q = 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id name } } }';
    const reps = [a, b, { id: 'cust_000000000bbbbbbbbbbbbbbbb' }].map((c) => ({ __typename: 'Customer', id: c.id }));

    const counter = new CommandCounter(t.svc.conn);
    const res = await t.call(q, { reps });
    counter.stop();
    expect(res.errors).toBeUndefined();
    await expectOneBatch(t.svc.conn.db as never, counter, 'customers', reps.map((r) => r.id)); // three references, one batch
    expect(res.data).toEqual({ _entities: [{ id: a.id, name: 'Name ent-a' }, { id: b.id, name: 'Name ent-b' }, null] });

    const withEmail = 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id email } } }';
    const own = await t.call(withEmail, { reps: reps.slice(0, 1) }, as(a.id));
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({ _entities: [{ id: a.id, email: a.email }] });
    const foreign = await t.call(withEmail, { reps: reps.slice(0, 1) }, as(b.id));
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(foreign.data)).not.toContain(a.email);
  });
});

describe('router-only gate', () => {
  it('answers 401 and no data without an x-commerce-context', async () => {
    for (const query of ['{ _service { sdl } }', ME]) {
      const res = await gql(t.svc.url, query);
      expect(res.status).toBe(401);
      expect(res.data).toBeUndefined();
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const res = await gql(t.svc.url, SIGN_UP, { input: { email: uniqueEmail('gate'), password: 'long-enough', name: 'Gate' } });
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
  });

  it('answers 401 to a forged context (a key other than the router\'s), even one claiming ADMIN', async () => {
    const forged = await signInternalContext(generateRouterKeyPair().signingKey, { user: { id: 'cust_000000000aaaaaaaaaaaaaaaa', roles: ['ADMIN'] }, requestId: 'r1' }, { audience: 'customers' });
    for (const query of ['{ _service { sdl } }', ME]) {
      const res = await gql(t.svc.url, query, {}, { 'x-commerce-context': forged });
      expect(res.status).toBe(401);
      expect(res.data).toBeUndefined();
    }
    const garbage = await gql(t.svc.url, '{ _service { sdl } }', {}, { 'x-commerce-context': 'not.a.jwt' });
    expect(garbage.status).toBe(401);
  });

  it('serves the SDL to the router', async () => {
    const res = await t.call<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.status).toBe(200);
    expect(res.data!._service.sdl).toContain('type Customer');
    expect(res.data!._service.sdl).toContain('@key');
  });
});

describe('secrets', () => {
  it('stores a scrypt hash, and neither hash nor password appears in any response or log line', async () => {
    const c = await newCustomer('secret');
    await logIn(c.email, c.password);
    await logIn(c.email, 'wrong-password!');
    await t.call(ME, {}, { id: c.id, roles: ['CUSTOMER'] });
    const admin = await t.call('query ($id: ID!) { customer(id: $id) { id email name createdAt } }', { id: c.id }, { id: c.id, roles: ['ADMIN'] });
    expect(admin.errors).toBeUndefined();

    const doc = await customers().findOne({ email: c.email });
    const hash = doc?.passwordHash as string;
    expect(hash).toMatch(new RegExp(`^scrypt\\$${2 ** TEST_SCRYPT_LOG_N}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{43}$`));
    expect(hash).not.toContain(c.password);
    const hashBody = hash.split('$')[5]!;

    expect(logLines.length).toBeGreaterThan(0);
    const everything = [...t.responses, ...logLines].join('\n');
    expect(everything).not.toContain(hashBody);
    expect(everything).not.toContain('scrypt$');
    expect(everything).not.toContain(c.password);
    expect(everything).not.toContain('passwordHash');

    // the schema offers no way to ask for it
    const res = await t.call('query ($id: ID!) { customer(id: $id) { passwordHash } }', { id: c.id }, { id: c.id, roles: ['ADMIN'] });
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
