import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { MailMessage, MailSender } from '../domain/mail.ts';

/**
 * SMTP through nodemailer. `url` is a connection URL (`smtp://user:pass@host:587`,
 * `smtps://…:465`): it holds a credential, so it is never logged (nodemailer's own logger stays
 * off). A connection per mail (the URL may ask for `?pool=true`), with short timeouts: a server
 * that accepts and then stalls must not hold a mail — or the shutdown, which waits for pending
 * mail — for nodemailer's default 10 minutes.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createSmtpSender(opts: { url: string; from: string }): MailSender {
  const transporter = createTransport({ url: opts.url, ...TIMEOUTS } as SMTPTransport.Options);
  return {
    transport: 'smtp',
    async send(message: MailMessage) {
      await transporter.sendMail({ from: opts.from, to: message.to, subject: message.subject, text: message.text, ...(message.html !== undefined ? { html: message.html } : {}) });
    },
    async close() {
      transporter.close();
    },
  };
}
