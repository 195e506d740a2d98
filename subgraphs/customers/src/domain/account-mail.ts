import type { MailMessage } from './mail.ts';

/**
 * The texts of the account mails. The code is in the body only (never in a subject, which mail
 * logs and previews show); callers never log what these return.
 */

/** 900 → "15 minutes", 86400 → "24 hours", 90 → "90 seconds". */
export function humanDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** A mail carrying a single-use code: the code, how to use it within its lifetime, what to do if unasked. */
function codeMail(to: string, subject: string, codeLine: string, ttlSeconds: number, use: (valid: string) => string, unasked: string): MailMessage {
  const text = [codeLine, '', `${use(humanDuration(ttlSeconds))} It works once; asking for another code replaces it.`, unasked].join('\n');
  return { to, subject, text };
}

export function passwordResetMail(to: string, code: string, ttlSeconds: number): MailMessage {
  return codeMail(to, 'Your password reset code', `Your password reset code is ${code}`, ttlSeconds, (valid) => `Enter it with your new password within ${valid}.`, 'If you did not ask to reset your password, ignore this message: your password stays as it is.');
}

export function verificationMail(to: string, code: string, ttlSeconds: number): MailMessage {
  return codeMail(to, 'Confirm your email address', `Your email verification code is ${code}`, ttlSeconds, (valid) => `Enter it within ${valid} to confirm that this address is yours.`, 'If you did not create an account, ignore this message.');
}
