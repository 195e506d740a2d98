import { randomUUID } from 'node:crypto';
import { keyDigest } from '../domain/redis-limits.ts';
import type { ServerResponse, IncomingMessage } from 'node:http';
import { sendJson, type Redis } from '@commerce/platform';
import type { MailMessage, MailSender } from '../domain/mail.ts';

/**
 * Development mailbox: every message is kept in Redis, in a capped list per recipient with a TTL
 * (newest first), and read with GET /dev/mailbox?to=<email>. Never used in production (the config
 * refuses it there, and the route exists only when this adapter is the transport).
 */
export interface StoredMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  sentAt: string;
}

export interface DevMailboxOptions {
  redis: Redis;
  /** `customers:mailbox:<db name>`: instances of one service share it, test databases do not */
  keyPrefix: string;
  from: string;
  /** messages kept per recipient (the oldest drop out) */
  maxMessages: number;
  /** how long a recipient's list lives after its newest message */
  ttlSeconds: number;
}

export interface DevMailbox extends MailSender {
  /** the recipient's messages, newest first */
  read(to: string): Promise<StoredMail[]>;
}

/** Key names carry a digest of the normalized address, never the address itself. */
const digest = (email: string) => keyDigest(email.trim().toLowerCase());

export function createDevMailbox(opts: DevMailboxOptions): DevMailbox {
  const keyOf = (to: string) => `${opts.keyPrefix}:${digest(to)}`;
  return {
    transport: 'mailbox',
    async send(message: MailMessage) {
      const stored: StoredMail = {
        id: randomUUID(),
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        sentAt: new Date().toISOString(),
      };
      const key = keyOf(message.to);
      await opts.redis.multi().lpush(key, JSON.stringify(stored)).ltrim(key, 0, opts.maxMessages - 1).expire(key, opts.ttlSeconds).exec();
    },
    async read(to) {
      const items = await opts.redis.lrange(keyOf(to), 0, -1);
      return items.map((s) => JSON.parse(s) as StoredMail);
    },
  };
}

/** GET /dev/mailbox?to=<email> → `{ to, messages: [...] }`, newest first (400 without `to`). */
export function devMailboxRoute(mailbox: DevMailbox) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const to = new URL(req.url ?? '/', 'http://localhost').searchParams.get('to')?.trim().toLowerCase();
    if (!to) {
      sendJson(res, 400, { error: 'query parameter `to` (an email address) is required' });
      return;
    }
    sendJson(res, 200, { to, messages: await mailbox.read(to) }, { 'cache-control': 'no-store' });
  };
}
