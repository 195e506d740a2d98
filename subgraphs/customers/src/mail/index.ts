import type { Logger, Redis } from '@commerce/platform';
import type { MailSender } from '../domain/mail.ts';
import type { MailSettings } from './config.ts';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.ts';
import { createLogSender } from './log.ts';
import { createSmtpSender } from './smtp.ts';

export { resolveMailSettings, MAIL_TRANSPORT_CHOICES, DEFAULT_MAIL_FROM, type MailEnv, type MailSettings, type MailTransport } from './config.ts';
export { devMailboxRoute, type DevMailbox, type StoredMail } from './dev-mailbox.ts';

/** The adapter the settings name; `mailbox` is set only for the development mailbox (its route). */
export function createMailSender(settings: MailSettings, deps: { redis: Redis; keyPrefix: string; logger: Logger }): { sender: MailSender; mailbox?: DevMailbox } {
  switch (settings.transport) {
    case 'smtp':
      return { sender: createSmtpSender({ url: settings.smtpUrl!, from: settings.from }) };
    case 'log':
      return { sender: createLogSender(deps.logger) };
    case 'mailbox': {
      const mailbox = createDevMailbox({ redis: deps.redis, keyPrefix: deps.keyPrefix, from: settings.from, ...settings.mailbox });
      return { sender: mailbox, mailbox };
    }
  }
}
