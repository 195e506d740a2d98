import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitter } from '@commerce/events';
import { createRedis, type Redis } from '@commerce/platform';
import { uniqueSuffix } from '@commerce/testing';
import { createAccountService, type RequestScope } from '../src/domain/index.ts';
import { createCodeRequestLimiter, DEFAULT_CODE_REQUEST_LIMITS } from '../src/domain/code-requests.ts';
import { createLoginThrottle, DEFAULT_THROTTLE_LIMITS } from '../src/domain/login-throttle.ts';
import { createOneTimeCodes } from '../src/domain/one-time-codes.ts';
import { createPasswordHasher } from '../src/domain/passwords.ts';
import { customerModel } from '../src/model/customer.model.ts';
import { DEV_MAILBOX_PATH, startCustomers, type CustomersService } from '../src/index.ts';
import type { StoredMail } from '../src/mail/index.ts';
import { LOG_IN, SIGN_UP, startTestCustomers, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

/**
 * Issue 13, account security: password change, password reset with single-use expiring codes
 * mailed through the mail port (the development mailbox here), email verification. Against the
 * real Redis and FerretDB: single use is decided by one Lua script in Redis, never by a filtered
 * database update.
 */

const logLines: string[] = [];
const captureLogger = pino({ level: 'trace', base: { service: 'customers' } }, { write: (line: string) => void logLines.push(line) });

let t: TestCustomers;
/** a second instance on the same database and Redis prefixes, with a 1-second reset code lifetime */
let shortTtl: CustomersService;

beforeAll(async () => {
  t = await startTestCustomers({ CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP: '1000' }, { logger: captureLogger });
  shortTtl = await startCustomers({ ...t.env, CUSTOMERS_PORT: '0', PASSWORD_RESET_TTL: '1' });
});

afterAll(async () => {
  await shortTtl?.stop();
  await t?.stop();
});

const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      accessToken
      customer { id email }
      userErrors { field message code }
    }
  }
`;
const REQUEST_RESET = /* GraphQL */ `
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) { accepted expiresInSeconds userErrors { field message code } }
  }
`;
const RESET = /* GraphQL */ `
  mutation ResetPassword($email: String!, $code: String!, $newPassword: String!) {
    resetPassword(email: $email, code: $code, newPassword: $newPassword) {
      accessToken
      customer { id email emailVerified }
      userErrors { field message code }
    }
  }
`;
const REQUEST_VERIFICATION = /* GraphQL */ `
  mutation RequestEmailVerification {
    requestEmailVerification { accepted expiresInSeconds userErrors { field message code } }
  }
`;
const VERIFY = /* GraphQL */ `
  mutation VerifyEmail($code: String!) {
    verifyEmail(code: $code) { customer { id emailVerified emailVerifiedAt } userErrors { field message code } }
  }
`;
const ME_VERIFIED = /* GraphQL */ `
  query MeVerified { me { id emailVerified emailVerifiedAt } }
`;

interface CodeRequestShape {
  accepted: boolean;
  expiresInSeconds: number;
  userErrors: AuthPayloadShape['userErrors'];
}

let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;
const codes = (p: { userErrors: Array<{ code: string }> }) => p.userErrors.map((e) => e.code);

async function newCustomer(tag: string) {
  const email = uniqueEmail(tag);
  const password = `pw-${uniqueSuffix()}`;
  const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password, name: tag } });
  expect(res.data!.signUp.userErrors).toEqual([]);
  return { email, password, id: res.data!.signUp.customer!.id, user: { id: res.data!.signUp.customer!.id, roles: ['CUSTOMER' as const] } };
}

const logIn = async (email: string, password: string) => (await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email, password }, null, { clientIp: freshIp() })).data!.logIn;

/** the recipient's mails through the development route, newest first */
async function mailbox(email: string, svc: CustomersService = t.svc): Promise<StoredMail[]> {
  await svc.mail.idle();
  const res = await fetch(new URL(`${DEV_MAILBOX_PATH}?to=${encodeURIComponent(email)}`, svc.url));
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: StoredMail[] }).messages;
}

/** the code of the newest mail with this subject */
async function latestCode(email: string, subject: RegExp, svc: CustomersService = t.svc): Promise<string> {
  const mail = (await mailbox(email, svc)).find((m) => subject.test(m.subject));
  expect(mail, `a mail matching ${subject} to ${email}`).toBeDefined();
  return /code is (\d{8})/.exec(mail!.text)![1]!;
}

async function requestReset(email: string, clientIp = freshIp(), svc?: CustomersService) {
  if (svc) {
    const { gql, testRouterContext } = await import('@commerce/testing');
    const ctx = await testRouterContext('customers', null, { clientIp });
    return (await gql<{ requestPasswordReset: CodeRequestShape }>(svc.url, REQUEST_RESET, { email }, { 'x-commerce-context': ctx })).data!.requestPasswordReset;
  }
  const res = await t.call<{ requestPasswordReset: CodeRequestShape }>(REQUEST_RESET, { email }, null, { clientIp });
  expect(res.errors).toBeUndefined();
  return res.data!.requestPasswordReset;
}

const reset = async (email: string, code: string, newPassword: string) => {
  const res = await t.call<{ resetPassword: AuthPayloadShape & { customer: { emailVerified: boolean } | null } }>(RESET, { email, code, newPassword }, null, { clientIp: freshIp() });
  expect(res.errors).toBeUndefined();
  return res.data!.resetPassword;
};

const RESET_SUBJECT = /password reset/i;
const VERIFY_SUBJECT = /confirm your email/i;

describe('changePassword', () => {
  it('replaces the password: the old one stops working, the new one works, a new token is answered', async () => {
    const c = await newCustomer('chpw');
    const newPassword = `new-${uniqueSuffix()}`;
    const res = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: c.password, newPassword }, c.user);
    expect(res.errors).toBeUndefined();
    expect(res.data!.changePassword.userErrors).toEqual([]);
    expect(res.data!.changePassword.accessToken).toMatch(/^ey/);
    expect(res.data!.changePassword.customer).toEqual({ id: c.id, email: c.email });
    expect(codes(await logIn(c.email, c.password))).toEqual(['INVALID_CREDENTIALS']);
    expect((await logIn(c.email, newPassword)).customer?.id).toBe(c.id);
  });

  it('refuses a wrong current password (INVALID_CREDENTIALS, counted by the log-in throttle) and a weak new one', async () => {
    const c = await newCustomer('chpw-bad');
    const wrong = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: 'not-the-password', newPassword: 'long-enough-pw' }, c.user);
    expect(wrong.data!.changePassword).toMatchObject({ accessToken: null, userErrors: [{ code: 'INVALID_CREDENTIALS', field: ['currentPassword'] }] });
    const weak = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: c.password, newPassword: 'short' }, c.user);
    expect(weak.data!.changePassword.userErrors).toMatchObject([{ code: 'PASSWORD_TOO_SHORT', field: ['newPassword'] }]);
    const long = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: c.password, newPassword: 'x'.repeat(129) }, c.user);
    expect(codes(long.data!.changePassword)).toEqual(['PASSWORD_TOO_LONG']);
    // the default per-account limit is 10 failed attempts: 9 more wrong ones (1 already) reach it
    for (let i = 0; i < 9; i++) {
      const r = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: `wrong-${i}-pw`, newPassword: 'long-enough-pw' }, c.user);
      expect(codes(r.data!.changePassword)).toEqual(['INVALID_CREDENTIALS']);
    }
    const blocked = await t.call<{ changePassword: AuthPayloadShape }>(CHANGE_PASSWORD, { currentPassword: c.password, newPassword: 'long-enough-pw' }, c.user);
    expect(codes(blocked.data!.changePassword)).toEqual(['TOO_MANY_ATTEMPTS']);
    // the same counter as log-in's: the account's log-ins are blocked too
    expect(codes(await logIn(c.email, c.password))).toEqual(['TOO_MANY_ATTEMPTS']);
  });

  it('needs a signed-in customer', async () => {
    const res = await t.call(CHANGE_PASSWORD, { currentPassword: 'whatever-pw', newPassword: 'long-enough-pw' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('onCredentialsChanged (ends the other sessions; wired by the sessions work)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis(t.env.REDIS_URL!);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  /** the account service over the test service's database and Redis, with a hook of the test's */
  function accountsWith(onCredentialsChanged: (customerId: string) => Promise<void>) {
    const prefix = `customers:hooktest:${uniqueSuffix()}`;
    return createAccountService({
      customers: customerModel(t.svc.conn),
      committer: createCommitter(t.svc.conn.db!),
      tokens: t.svc.tokens,
      passwords: createPasswordHasher({ logN: 12 }),
      throttle: createLoginThrottle({ redis, keyPrefix: `${prefix}:login`, limits: DEFAULT_THROTTLE_LIMITS, logger: captureLogger }),
      codes: createOneTimeCodes({ redis, keyPrefix: `${prefix}:codes`, ttlSeconds: { 'password-reset': 60, 'email-verification': 60 }, maxAttempts: 5 }),
      codeRequests: createCodeRequestLimiter({ redis, keyPrefix: `${prefix}:requests`, limits: DEFAULT_CODE_REQUEST_LIMITS }),
      mail: t.svc.mail,
      onCredentialsChanged,
      logger: captureLogger,
    });
  }
  const scope: RequestScope = { requestId: 'hook-test', logger: captureLogger };

  it('is awaited by changePassword and resetPassword after the new password is stored, before the token', async () => {
    const c = await newCustomer('hook');
    const calls: Array<{ id: string; newPasswordWorks: boolean }> = [];
    const accounts = accountsWith(async (id) => {
      // the new password is stored by now
      calls.push({ id, newPasswordWorks: (await logIn(c.email, 'hooked-password-1')).customer?.id === c.id });
    });
    const changed = await accounts.changePassword(c.id, c.password, 'hooked-password-1', scope);
    expect(changed.ok).toBe(true);
    expect(calls).toEqual([{ id: c.id, newPasswordWorks: true }]);

    await accounts.requestPasswordReset(c.email, scope);
    const code = await latestCode(c.email, RESET_SUBJECT);
    calls.length = 0;
    const reset = await accounts.resetPassword(c.email, code, 'hooked-password-2', scope);
    expect(reset.ok).toBe(true);
    expect(calls.map((x) => x.id)).toEqual([c.id]);
    // a wrong current password or code never ends sessions
    expect((await accounts.changePassword(c.id, 'not-the-password', 'hooked-password-3', scope)).ok).toBe(false);
    expect((await accounts.resetPassword(c.email, code, 'hooked-password-3', scope)).ok).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('a failing hook fails the operation: no token is issued', async () => {
    const c = await newCustomer('hook-fail');
    const accounts = accountsWith(async () => {
      throw new Error('session store down');
    });
    await expect(accounts.changePassword(c.id, c.password, 'failing-hook-password', scope)).rejects.toThrow(/session store down/);
  });
});

describe('password reset', () => {
  it('mails a code that sets a new password, logs the account in and verifies its email', async () => {
    const c = await newCustomer('reset');
    const requested = await requestReset(c.email.toUpperCase());
    expect(requested).toEqual({ accepted: true, expiresInSeconds: 900, userErrors: [] });
    const mails = await mailbox(c.email);
    expect(mails[0]).toMatchObject({ to: c.email, subject: 'Your password reset code' });
    const code = await latestCode(c.email, RESET_SUBJECT);
    const newPassword = `reset-${uniqueSuffix()}`;
    // a dash or spaces in the typed code are ignored
    const done = await reset(c.email, `${code.slice(0, 4)}-${code.slice(4)}`, newPassword);
    expect(done.userErrors).toEqual([]);
    expect(done.accessToken).toMatch(/^ey/);
    expect(done.customer).toMatchObject({ id: c.id, emailVerified: true });
    expect(codes(await logIn(c.email, c.password))).toEqual(['INVALID_CREDENTIALS']);
    expect((await logIn(c.email, newPassword)).customer?.id).toBe(c.id);
    // no code and no mail body in any log line
    const logs = logLines.join('\n');
    expect(logs).not.toContain(code);
    expect(logs).not.toMatch(/code is \d/);
  });

  it('a code works once: used twice, the second is refused', async () => {
    const c = await newCustomer('twice');
    await requestReset(c.email);
    const code = await latestCode(c.email, RESET_SUBJECT);
    expect((await reset(c.email, code, 'first-new-pw')).userErrors).toEqual([]);
    const second = await reset(c.email, code, 'second-new-pw');
    expect(second).toMatchObject({ accessToken: null, customer: null, userErrors: [{ code: 'INVALID_CODE', field: ['code'] }] });
    expect((await logIn(c.email, 'first-new-pw')).customer?.id).toBe(c.id);
  });

  it('the same code submitted 10 times at once succeeds exactly once', async () => {
    const c = await newCustomer('race');
    await requestReset(c.email);
    const code = await latestCode(c.email, RESET_SUBJECT);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => reset(c.email, code, `racer-${i}-password`)));
    const winners = results.flatMap((r, i) => (r.userErrors.length === 0 ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => codes(r)[0] === 'INVALID_CODE')).toHaveLength(9);
    // the winner's password is the account's
    expect((await logIn(c.email, `racer-${winners[0]}-password`)).customer?.id).toBe(c.id);
  });

  it('an expired code is refused', async () => {
    const c = await newCustomer('expired');
    // requested through the instance whose codes live 1 second
    expect(await requestReset(c.email, freshIp(), shortTtl)).toMatchObject({ accepted: true, expiresInSeconds: 1 });
    const code = await latestCode(c.email, RESET_SUBJECT, shortTtl);
    await sleep(2100);
    expect(codes(await reset(c.email, code, 'too-late-password'))).toEqual(['INVALID_CODE']);
    expect((await logIn(c.email, c.password)).customer?.id).toBe(c.id);
  });

  it('wrong codes burn the code: 4 wrong tries leave it usable, the 5th burns it', async () => {
    const a = await newCustomer('burn-a');
    await requestReset(a.email);
    const codeA = await latestCode(a.email, RESET_SUBJECT);
    const wrongOf = (code: string, i: number) => String((Number(code) + 1 + i) % 1e8).padStart(8, '0');
    for (let i = 0; i < 4; i++) expect(codes(await reset(a.email, wrongOf(codeA, i), 'whatever-password'))).toEqual(['INVALID_CODE']);
    expect((await reset(a.email, codeA, 'survived-password')).userErrors).toEqual([]);

    const b = await newCustomer('burn-b');
    await requestReset(b.email);
    const codeB = await latestCode(b.email, RESET_SUBJECT);
    for (let i = 0; i < 5; i++) expect(codes(await reset(b.email, wrongOf(codeB, i), 'whatever-password'))).toEqual(['INVALID_CODE']);
    expect(codes(await reset(b.email, codeB, 'burnt-password'))).toEqual(['INVALID_CODE']);
    expect((await logIn(b.email, b.password)).customer?.id).toBe(b.id);
  });

  it('a new request replaces the previous code', async () => {
    const c = await newCustomer('replace');
    await requestReset(c.email);
    const first = await latestCode(c.email, RESET_SUBJECT);
    await requestReset(c.email);
    const second = await latestCode(c.email, RESET_SUBJECT);
    expect((await mailbox(c.email)).filter((m) => RESET_SUBJECT.test(m.subject))).toHaveLength(2);
    if (first !== second) expect(codes(await reset(c.email, first, 'old-code-password'))).toEqual(['INVALID_CODE']);
    expect((await reset(c.email, second, 'new-code-password')).userErrors).toEqual([]);
  });

  it('a weak new password is refused without using up the code', async () => {
    const c = await newCustomer('weak');
    await requestReset(c.email);
    const code = await latestCode(c.email, RESET_SUBJECT);
    expect((await reset(c.email, code, 'short')).userErrors).toMatchObject([{ code: 'PASSWORD_TOO_SHORT', field: ['newPassword'] }]);
    expect((await reset(c.email, code, 'long-enough-now')).userErrors).toEqual([]);
  });

  it('an unknown email gets the same answer and no mail; a known email\'s code does not work for another', async () => {
    const known = await newCustomer('known');
    const unknown = uniqueEmail('nobody');
    const forKnown = await requestReset(known.email);
    const forUnknown = await requestReset(unknown);
    expect(forUnknown).toEqual(forKnown);
    expect(await mailbox(unknown)).toEqual([]);
    const code = await latestCode(known.email, RESET_SUBJECT);
    expect(codes(await reset(unknown, code, 'whatever-password'))).toEqual(['INVALID_CODE']);
    expect(codes(await requestReset('not-an-email'))).toEqual(['INVALID_EMAIL']);
  });

  it('codes per account are limited (5 per hour by default), for unknown emails alike', async () => {
    for (const email of [(await newCustomer('limit')).email, uniqueEmail('limit-nobody')]) {
      for (let i = 0; i < 5; i++) expect((await requestReset(email)).accepted).toBe(true);
      const refused = await requestReset(email);
      expect(refused).toMatchObject({ accepted: false, userErrors: [{ code: 'TOO_MANY_ATTEMPTS' }] });
    }
  });
});

describe('email verification', () => {
  it('sign-up mails a code; verifyEmail marks the email verified once', async () => {
    const c = await newCustomer('verify');
    const before = await t.call<{ me: { emailVerified: boolean; emailVerifiedAt: string | null } }>(ME_VERIFIED, {}, c.user);
    expect(before.data!.me).toMatchObject({ emailVerified: false, emailVerifiedAt: null });
    const code = await latestCode(c.email, VERIFY_SUBJECT);
    const wrong = await t.call<{ verifyEmail: { userErrors: Array<{ code: string }> } }>(VERIFY, { code: String((Number(code) + 1) % 1e8).padStart(8, '0') }, c.user);
    expect(codes(wrong.data!.verifyEmail)).toEqual(['INVALID_CODE']);
    const ok = await t.call<{ verifyEmail: { customer: { id: string; emailVerified: boolean; emailVerifiedAt: string }; userErrors: unknown[] } }>(VERIFY, { code }, c.user);
    expect(ok.data!.verifyEmail.userErrors).toEqual([]);
    expect(ok.data!.verifyEmail.customer).toMatchObject({ id: c.id, emailVerified: true });
    expect(Date.parse(ok.data!.verifyEmail.customer.emailVerifiedAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await t.call<{ verifyEmail: { userErrors: Array<{ code: string }> } }>(VERIFY, { code }, c.user);
    expect(codes(again.data!.verifyEmail)).toEqual(['INVALID_CODE']);
    expect((await t.call<{ me: { emailVerified: boolean } }>(ME_VERIFIED, {}, c.user)).data!.me.emailVerified).toBe(true);
    const more = await t.call<{ requestEmailVerification: CodeRequestShape }>(REQUEST_VERIFICATION, {}, c.user);
    expect(more.data!.requestEmailVerification).toMatchObject({ accepted: false, userErrors: [{ code: 'EMAIL_ALREADY_VERIFIED' }] });
  });

  it('requestEmailVerification replaces the sign-up code; a code is bound to its account', async () => {
    const c = await newCustomer('reverify');
    const other = await newCustomer('reverify-other');
    const first = await latestCode(c.email, VERIFY_SUBJECT);
    const res = await t.call<{ requestEmailVerification: CodeRequestShape }>(REQUEST_VERIFICATION, {}, c.user, { clientIp: freshIp() });
    expect(res.data!.requestEmailVerification).toEqual({ accepted: true, expiresInSeconds: 86_400, userErrors: [] });
    const second = await latestCode(c.email, VERIFY_SUBJECT);
    if (first !== second) expect(codes((await t.call<{ verifyEmail: { userErrors: Array<{ code: string }> } }>(VERIFY, { code: first }, c.user)).data!.verifyEmail)).toEqual(['INVALID_CODE']);
    // another account cannot use it
    expect(codes((await t.call<{ verifyEmail: { userErrors: Array<{ code: string }> } }>(VERIFY, { code: second }, other.user)).data!.verifyEmail)).toEqual(['INVALID_CODE']);
    expect((await t.call<{ verifyEmail: { userErrors: unknown[] } }>(VERIFY, { code: second }, c.user)).data!.verifyEmail.userErrors).toEqual([]);
  });

  it('emailVerified is private to the customer and admins', async () => {
    const c = await newCustomer('private');
    const other = await newCustomer('private-other');
    const query = /* GraphQL */ `query($id: ID!) { _entities(representations: [{ __typename: "Customer", id: $id }]) { ... on Customer { id emailVerified } } }`;
    const res = await t.call(query, { id: c.id }, other.user);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the development mailbox', () => {
  it('keeps messages newest first; it is served only with the mailbox transport', async () => {
    const c = await newCustomer('mailbox');
    await requestReset(c.email);
    const mails = await mailbox(c.email);
    expect(mails.map((m) => m.subject)).toEqual(['Your password reset code', 'Confirm your email address']);
    expect(Date.parse(mails[0]!.sentAt)).toBeGreaterThanOrEqual(Date.parse(mails[1]!.sentAt));
    expect((await fetch(new URL(DEV_MAILBOX_PATH, t.svc.url))).status).toBe(400);

    // the route exists only with the mailbox transport, which production refuses (mail-config.test.ts)
    const noMailbox = await startCustomers({ ...t.env, CUSTOMERS_PORT: '0', MAIL_TRANSPORT: 'log' });
    try {
      expect(noMailbox.mailbox).toBeUndefined();
      expect((await fetch(new URL(`${DEV_MAILBOX_PATH}?to=${encodeURIComponent(c.email)}`, noMailbox.url))).status).toBe(404);
    } finally {
      await noMailbox.stop();
    }
  });
});
