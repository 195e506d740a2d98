import { describe, expect, it } from 'vitest';
import { ConfigError } from '@commerce/platform';
import { humanDuration, passwordResetMail, verificationMail } from '../src/domain/account-mail.ts';
import { CODE_DIGITS, newCode, normalizeCode } from '../src/domain/one-time-codes.ts';
import { loadCustomersConfig } from '../src/index.ts';
import { DEFAULT_MAIL_FROM, resolveMailSettings, type MailEnv } from '../src/mail/index.ts';

const mailbox = { maxMessages: 50, ttlSeconds: 86_400 };
const env = (over: Partial<MailEnv> = {}): MailEnv => ({ transport: 'auto', mailbox, ...over });

describe('mail transport settings', () => {
  it('auto: SMTP with SMTP_URL, else the development mailbox outside production', () => {
    expect(resolveMailSettings(env(), 'development')).toMatchObject({ transport: 'mailbox', from: DEFAULT_MAIL_FROM });
    expect(resolveMailSettings(env(), 'test').transport).toBe('mailbox');
    expect(resolveMailSettings(env({ smtpUrl: 'smtp://u:p@mail:587' }), 'development')).toMatchObject({ transport: 'smtp', smtpUrl: 'smtp://u:p@mail:587' });
    expect(resolveMailSettings(env({ smtpUrl: 'smtps://u:p@mail:465', from: 'Shop <no-reply@shop.example>' }), 'production')).toMatchObject({ transport: 'smtp', from: 'Shop <no-reply@shop.example>' });
  });

  it('production refuses to start without SMTP_URL unless MAIL_TRANSPORT=log, and never with the mailbox', () => {
    expect(() => resolveMailSettings(env(), 'production')).toThrow(ConfigError);
    expect(() => resolveMailSettings(env(), 'production')).toThrow(/SMTP_URL: required in production.*MAIL_TRANSPORT=log/);
    expect(() => resolveMailSettings(env({ transport: 'mailbox' }), 'production')).toThrow(/development mailbox is refused in production/);
    expect(() => resolveMailSettings(env({ smtpUrl: 'smtp://mail:25' }), 'production')).toThrow(/MAIL_FROM: required/);
    expect(resolveMailSettings(env({ transport: 'log' }), 'production').transport).toBe('log');
    expect(() => resolveMailSettings(env({ transport: 'smtp' }), 'development')).toThrow(/SMTP_URL: required with MAIL_TRANSPORT=smtp/);
  });

  it('is parsed with the rest of the customers config; the SMTP URL never appears in an error', () => {
    const base = { NODE_ENV: 'test', MONGO_URL: 'mongodb://127.0.0.1:1', CUSTOMERS_SCRYPT_LOG_N: '12' };
    const c = loadCustomersConfig(base);
    expect(c.mail.transport).toBe('mailbox');
    expect(c.codes).toMatchObject({ resetTtlSeconds: 900, verificationTtlSeconds: 86_400, maxAttempts: 5, requests: { maxPerAccount: 5, maxPerIp: 50, windowSeconds: 3600 } });
    expect(loadCustomersConfig({ ...base, PASSWORD_RESET_TTL: '1', MAIL_TRANSPORT: '' }).codes.resetTtlSeconds).toBe(1);
    expect(() => loadCustomersConfig({ ...base, PASSWORD_RESET_TTL: '2d' })).toThrow(/PASSWORD_RESET_TTL/);
    expect(() => loadCustomersConfig({ ...base, MAIL_TRANSPORT: 'carrier-pigeon' })).toThrow(/MAIL_TRANSPORT/);
    try {
      loadCustomersConfig({ ...base, SMTP_URL: 'http://user:hunter2-secret@mail' });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toMatch(/SMTP_URL/);
      expect(String(err)).not.toContain('hunter2-secret');
    }
  });
});

describe('codes and account mails', () => {
  it('codes are 8 random digits; typed spaces and dashes are ignored', () => {
    const seen = new Set(Array.from({ length: 200 }, newCode));
    for (const c of seen) expect(c).toMatch(new RegExp(`^\\d{${CODE_DIGITS}}$`));
    expect(seen.size).toBeGreaterThan(190);
    expect(normalizeCode(' 1234-5678 ')).toBe('12345678');
  });

  it('the code is in the body only, with how long it is valid', () => {
    const reset = passwordResetMail('a@example.com', '01234567', 900);
    expect(reset.subject).not.toContain('01234567');
    expect(reset.text).toContain('01234567');
    expect(reset.text).toContain('15 minutes');
    expect(verificationMail('a@example.com', '76543210', 86_400).text).toContain('24 hours');
    expect([humanDuration(1), humanDuration(90), humanDuration(3600)]).toEqual(['1 second', '90 seconds', '1 hour']);
  });
});
