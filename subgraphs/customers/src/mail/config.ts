import { ConfigError } from '@commerce/platform';

/**
 * Which mail adapter runs, decided once at start from MAIL_TRANSPORT, SMTP_URL and MAIL_FROM:
 *
 * - `auto` (the default): SMTP when SMTP_URL is set; else the development mailbox outside
 *   production; in production a ConfigError (reset and verification codes would go nowhere).
 * - `smtp`: SMTP_URL is required (and MAIL_FROM in production).
 * - `mailbox`: the Redis mailbox read at GET /dev/mailbox; refused in production.
 * - `log`: nothing is delivered, a line is logged per dropped message (subject only); the explicit
 *   way to run production without mail.
 */
export type MailTransport = 'mailbox' | 'smtp' | 'log';
export const MAIL_TRANSPORT_CHOICES = ['auto', 'mailbox', 'smtp', 'log'] as const;
export const DEFAULT_MAIL_FROM = 'Commerce <no-reply@localhost>';

export interface MailSettings {
  transport: MailTransport;
  /** SMTP connection URL; a credential: never logged */
  smtpUrl?: string | undefined;
  from: string;
  mailbox: { maxMessages: number; ttlSeconds: number };
}

export interface MailEnv {
  transport: (typeof MAIL_TRANSPORT_CHOICES)[number];
  smtpUrl?: string | undefined;
  from?: string | undefined;
  mailbox: { maxMessages: number; ttlSeconds: number };
}

export function resolveMailSettings(env: MailEnv, nodeEnv: 'development' | 'test' | 'production'): MailSettings {
  const production = nodeEnv === 'production';
  const fail = (line: string) => {
    throw new ConfigError(`invalid configuration:\n  ${line}`);
  };
  let transport: MailTransport;
  if (env.transport === 'auto') {
    if (env.smtpUrl) transport = 'smtp';
    else if (production) return fail('SMTP_URL: required in production to deliver password-reset and verification codes (with MAIL_FROM); set MAIL_TRANSPORT=log to run without mail on purpose');
    else transport = 'mailbox';
  } else {
    transport = env.transport;
  }
  if (transport === 'smtp' && !env.smtpUrl) fail('SMTP_URL: required with MAIL_TRANSPORT=smtp (smtp://user:password@host:587 or smtps://…:465)');
  if (transport === 'mailbox' && production) fail('MAIL_TRANSPORT: the development mailbox is refused in production; use SMTP_URL, or MAIL_TRANSPORT=log');
  if (transport === 'smtp' && production && !env.from) fail('MAIL_FROM: required with SMTP in production (the sender address, e.g. "Shop <no-reply@shop.example>")');
  return { transport, smtpUrl: transport === 'smtp' ? env.smtpUrl : undefined, from: env.from ?? DEFAULT_MAIL_FROM, mailbox: env.mailbox };
}
