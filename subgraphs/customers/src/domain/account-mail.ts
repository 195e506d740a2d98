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

export function passwordResetMail(to: string, code: string, ttlSeconds: number): MailMessage {
  const valid = humanDuration(ttlSeconds);
  return {
    to,
    subject: 'Your password reset code',
    text: [
      `Your password reset code is ${code}`,
      '',
      `Enter it with your new password within ${valid}. It works once; asking for another code replaces it.`,
      'If you did not ask to reset your password, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
}

export function verificationMail(to: string, code: string, ttlSeconds: number): MailMessage {
  const valid = humanDuration(ttlSeconds);
  return {
    to,
    subject: 'Confirm your email address',
    text: [
      `Your email verification code is ${code}`,
      '',
      `Enter it within ${valid} to confirm that this address is yours. It works once; asking for another code replaces it.`,
      'If you did not create an account, ignore this message.',
    ].join('\n'),
  };
}
