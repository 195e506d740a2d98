import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@commerce/testing';
import { SIGN_UP, startTestCustomers, uniqueEmail, type AuthPayloadShape, type TestCustomers } from './helpers.ts';

/**
 * The SMTP adapter (src/mail/smtp.ts, nodemailer) against a real SMTP server: `smtp-server`, started
 * here on 127.0.0.1 and a free port, AUTH (PLAIN/LOGIN) required, no TLS (STARTTLS not offered,
 * AUTH allowed in clear text on the loopback). MAIL_TRANSPORT stays `auto`: SMTP_URL selects SMTP.
 */

const SMTP_USER = 'shop-mailer';
const SMTP_PASSWORD = `smtp-secret-${uniqueSuffix()}`;
const WRONG_PASSWORD = `wrong-secret-${uniqueSuffix()}`;
const MAIL_FROM = 'Shop <no-reply@shop.test>';

interface ReceivedMail {
  user: string | undefined;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

const received: ReceivedMail[] = [];
const authAttempts: Array<{ username: string; ok: boolean }> = [];

const smtp = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authOptional: false,
  logger: false,
  onAuth(auth, _session, callback) {
    const ok = auth.username === SMTP_USER && auth.password === SMTP_PASSWORD;
    authAttempts.push({ username: auth.username ?? '', ok });
    if (!ok) {
      const err = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      callback(err);
      return;
    }
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const addr = (a: SMTPServerAddress | false) => (a ? a.address : undefined);
      received.push({
        user: typeof session.user === 'string' ? session.user : undefined,
        mailFrom: addr(session.envelope.mailFrom),
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});
let smtpPort = 0;

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const REQUEST_RESET = /* GraphQL */ `
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) { accepted expiresInSeconds userErrors { field message code } }
  }
`;
const RESET = /* GraphQL */ `
  mutation ResetPassword($email: String!, $code: String!, $newPassword: String!) {
    resetPassword(email: $email, code: $code, newPassword: $newPassword) {
      accessToken
      customer { id email }
      userErrors { field message code }
    }
  }
`;
const LOG_IN = /* GraphQL */ `
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) { accessToken customer { id } userErrors { code } }
  }
`;

interface CodeRequestShape {
  accepted: boolean;
  expiresInSeconds: number;
  userErrors: AuthPayloadShape['userErrors'];
}

let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

/** a pino logger whose JSON lines land in `lines` */
function captureLogger(lines: string[]) {
  return pino({ level: 'trace', base: { service: 'customers' } }, { write: (line: string) => void lines.push(line) });
}

async function signUp(t: TestCustomers, tag: string) {
  const email = uniqueEmail(tag);
  const password = `pw-${uniqueSuffix()}`;
  const res = await t.call<{ signUp: AuthPayloadShape }>(SIGN_UP, { input: { email, password, name: tag } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.signUp.userErrors).toEqual([]);
  // sign-up mails a verification code in the background: let it be tried before the test counts
  await t.svc.mail.idle();
  return { email, password, id: res.data!.signUp.customer!.id };
}

async function requestReset(t: TestCustomers, email: string) {
  const res = await t.call<{ requestPasswordReset: CodeRequestShape }>(REQUEST_RESET, { email }, null, { clientIp: freshIp() });
  expect(res.errors).toBeUndefined();
  return res.data!.requestPasswordReset;
}

/** `customers_mail_total{purpose=…,outcome=…}` from the service's /metrics (0 when absent) */
async function mailMetric(t: TestCustomers, outcome: 'sent' | 'failed', purpose = 'password-reset'): Promise<number> {
  const text = await (await fetch(new URL('/metrics', t.svc.url))).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('customers_mail_total{') && line.includes(`outcome="${outcome}"`) && line.includes(`purpose="${purpose}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

/** headers (unfolded, lower-case names) and decoded text body of a single-part message */
function parseMail(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(split + 4);
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (cte === 'quoted-printable') body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  else if (cte === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, body };
}

describe('SMTP adapter with the right credentials', () => {
  const logLines: string[] = [];
  let t: TestCustomers;

  beforeAll(async () => {
    t = await startTestCustomers({ SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${smtpPort}`, MAIL_FROM }, { logger: captureLogger(logLines) });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('MAIL_TRANSPORT=auto with SMTP_URL picks SMTP (no development mailbox route)', async () => {
    expect(t.svc.mailbox).toBeUndefined();
    const res = await fetch(new URL(`/dev/mailbox?to=x%40example.com`, t.svc.url));
    expect(res.status).toBe(404);
  });

  it('delivers the sign-up verification mail through SMTP', async () => {
    const before = received.length;
    const c = await signUp(t, 'smtp-verify');
    const mine = received.slice(before).filter((m) => m.rcptTo.includes(c.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.mailFrom).toBe('no-reply@shop.test');
    const { headers, body } = parseMail(mine[0]!.raw);
    expect(headers.subject).toBe('Confirm your email address');
    expect(body).toMatch(/verification code is \d{8}\b/);
  });

  it('delivers the password-reset mail to the SMTP server, and its code resets the password', async () => {
    const c = await signUp(t, 'smtp-ok');
    const before = received.length;
    const sentBefore = await mailMetric(t, 'sent');

    const answer = await requestReset(t, c.email);
    expect(answer).toMatchObject({ accepted: true, userErrors: [] });
    expect(answer.expiresInSeconds).toBeGreaterThan(0);
    await t.svc.mail.idle();

    const mine = received.slice(before);
    expect(mine).toHaveLength(1);
    const mail = mine[0]!;
    // envelope: the authenticated user, MAIL FROM the address of MAIL_FROM, RCPT TO the account
    expect(mail.user).toBe(SMTP_USER);
    expect(mail.mailFrom).toBe('no-reply@shop.test');
    expect(mail.rcptTo).toEqual([c.email]);

    const { headers, body } = parseMail(mail.raw);
    expect(headers.from).toBe('Shop <no-reply@shop.test>');
    expect(headers.to).toBe(c.email);
    expect(headers.subject).toBe('Your password reset code');
    expect(headers.subject).not.toMatch(/\d{8}/);
    const code = /code is (\d{8})\b/.exec(body)?.[1];
    expect(code, 'an 8-digit code in the body').toMatch(/^\d{8}$/);

    expect(await mailMetric(t, 'sent')).toBe(sentBefore + 1);
    expect(authAttempts.filter((a) => a.username === SMTP_USER && a.ok).length).toBeGreaterThanOrEqual(1);

    // the mailed code works: resetPassword with it succeeds, and the new password logs in
    const newPassword = `reset-${uniqueSuffix()}`;
    const reset = await t.call<{ resetPassword: AuthPayloadShape }>(RESET, { email: c.email, code, newPassword }, null, { clientIp: freshIp() });
    expect(reset.errors).toBeUndefined();
    expect(reset.data!.resetPassword.userErrors).toEqual([]);
    expect(reset.data!.resetPassword.accessToken).toMatch(/^ey/);
    expect(reset.data!.resetPassword.customer).toEqual({ id: c.id, email: c.email });
    const login = await t.call<{ logIn: AuthPayloadShape }>(LOG_IN, { email: c.email, password: newPassword }, null, { clientIp: freshIp() });
    expect(login.data!.logIn.customer?.id).toBe(c.id);

    // logs: a "mail sent" line, never the code, the body or the SMTP password/URL
    const logs = logLines.join('');
    expect(logs).toMatch(/"msg":"mail sent"/);
    expect(logs).not.toContain(code!);
    expect(logs).not.toMatch(/code is \d/);
    expect(logs).not.toContain(SMTP_PASSWORD);
    expect(logs).not.toContain(`smtp://${SMTP_USER}:`);
    // nor in any GraphQL answer
    expect(t.responses.join('')).not.toContain(code!);
  });
});

describe('SMTP adapter with a wrong password', () => {
  const logLines: string[] = [];
  let t: TestCustomers;

  beforeAll(async () => {
    t = await startTestCustomers({ SMTP_URL: `smtp://${SMTP_USER}:${WRONG_PASSWORD}@127.0.0.1:${smtpPort}`, MAIL_FROM }, { logger: captureLogger(logLines) });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers the same success payload, delivers nothing, counts and logs the failure without the body or a secret', async () => {
    const c = await signUp(t, 'smtp-bad');
    const before = received.length;
    const attemptsBefore = authAttempts.length;
    const failedBefore = await mailMetric(t, 'failed');

    const answer = await requestReset(t, c.email);
    // the answer never depends on the delivery: the same as for an unknown address
    const unknown = await requestReset(t, uniqueEmail('smtp-nobody'));
    expect(answer).toEqual(unknown);
    expect(answer).toMatchObject({ accepted: true, userErrors: [] });
    await t.svc.mail.idle();

    // the server refused the AUTH and received nothing
    expect(received.length).toBe(before);
    const attempts = authAttempts.slice(attemptsBefore);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.every((a) => !a.ok && a.username === SMTP_USER)).toBe(true);

    // counted
    expect(await mailMetric(t, 'failed')).toBe(failedBefore + 1);
    expect(await mailMetric(t, 'sent')).toBe(0);
    // the sign-up verification mail failed alike
    expect(await mailMetric(t, 'failed', 'email-verification')).toBe(1);
    expect(await mailMetric(t, 'sent', 'email-verification')).toBe(0);

    // logged: one "mail not sent" warning for the reset, with the purpose and the SMTP error only
    const failures = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'mail not sent' && l.purpose === 'password-reset');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ transport: 'smtp', level: 40 });
    expect(Object.keys(failures[0]!).sort()).not.toContain('text');
    expect(String(failures[0]!.error)).toMatch(/535|Invalid login|auth/i);
    const logs = logLines.join('');
    expect(logs).not.toContain(WRONG_PASSWORD);
    expect(logs).not.toContain(SMTP_PASSWORD);
    expect(logs).not.toContain(`smtp://${SMTP_USER}:`);
    expect(logs).not.toMatch(/code is \d/);
    expect(logs).not.toContain('Your password reset code');
    expect(logs).not.toMatch(/(?<![\w-])\d{8}(?![\w-])/);

    // nothing crashed: the service still answers, and asking again fails alike in the background
    const again = await requestReset(t, (await signUp(t, 'smtp-bad2')).email);
    expect(again).toEqual(answer);
    await t.svc.mail.idle();
    expect(await mailMetric(t, 'failed')).toBe(failedBefore + 2);
    expect(received.length).toBe(before);
  });
});
