import type { Logger } from '@commerce/platform';

/**
 * The mail port: how the account use cases send a message (a password-reset or a verification
 * code). Adapters in ../mail/: the development mailbox (Redis, readable at GET /dev/mailbox), SMTP
 * through nodemailer, and `log` (nothing is delivered). Message bodies carry codes: no adapter and
 * no caller ever logs a body, a code or a whole message.
 */
export interface MailMessage {
  /** one recipient, a validated, normalized email address */
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

export interface MailSender {
  /** which adapter this is (logs, the dev route) */
  readonly transport: 'mailbox' | 'smtp' | 'log';
  /** delivers the message, or throws */
  send(message: MailMessage): Promise<void>;
  /** releases connections (SMTP) */
  close?(): Promise<void>;
}

/**
 * Sends outside the request: an answer never waits for (or reveals by its timing) a mail
 * delivery, so requestPasswordReset answers alike for known and unknown emails. Failures are
 * logged without the message; `idle()` resolves once every dispatched mail was tried (shutdown,
 * tests).
 */
export interface MailDispatcher {
  dispatch(message: MailMessage, purpose: string, logger: Logger): void;
  idle(): Promise<void>;
}

export function createMailDispatcher(sender: MailSender, onSent?: (purpose: string, outcome: 'sent' | 'failed') => void): MailDispatcher {
  const pending = new Set<Promise<void>>();
  return {
    dispatch(message, purpose, logger) {
      const p = sender
        .send(message)
        .then(() => {
          onSent?.(purpose, 'sent');
          logger.info({ purpose, transport: sender.transport }, 'mail sent');
        })
        .catch((err: unknown) => {
          onSent?.(purpose, 'failed');
          // the error's message only: an SMTP error may quote the envelope, never the body
          logger.warn({ purpose, transport: sender.transport, error: err instanceof Error ? err.message : String(err) }, 'mail not sent');
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
