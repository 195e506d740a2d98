import type { Logger } from '@commerce/platform';
import type { MailMessage, MailSender } from '../domain/mail.ts';

/**
 * MAIL_TRANSPORT=log: nothing is delivered. A line says that a message was dropped (its subject,
 * never its body or code, never the recipient), so a deployment that chose to run without mail
 * sees what users did not receive.
 */
export function createLogSender(logger: Logger): MailSender {
  return {
    transport: 'log',
    async send(message: MailMessage) {
      logger.warn({ subject: message.subject }, 'mail not delivered (MAIL_TRANSPORT=log)');
    },
  };
}
