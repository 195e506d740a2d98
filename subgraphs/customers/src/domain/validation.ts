import { z } from 'zod';
import { userError, type UserError } from '@commerce/platform';

/** Input rules of the account operations; the only place that knows the limits. */
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

export const SignUpErrorCode = {
  INVALID_EMAIL: 'INVALID_EMAIL',
  PASSWORD_TOO_SHORT: 'PASSWORD_TOO_SHORT',
  PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  INVALID_NAME: 'INVALID_NAME',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
} as const;

/** Emails are compared and stored trimmed and lower-cased. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

const emailSchema = z.email().max(EMAIL_MAX_LENGTH);
// lengths in code points, so an emoji counts as one character
const codePoints = (s: string) => [...s].length;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const nameSchema = z
  .string()
  .refine((s) => codePoints(s) >= 1 && codePoints(s) <= NAME_MAX_LENGTH && !CONTROL_CHARS.test(s));

export function isValidEmail(normalized: string): boolean {
  // length first: the pattern never sees an oversized string
  return normalized.length <= EMAIL_MAX_LENGTH && emailSchema.safeParse(normalized).success;
}

export interface SignUpFields {
  email: string;
  password: string;
  name: string;
}

/** Validates and normalises a sign-up; every invalid field gets its own userError. */
export function validateSignUp(input: SignUpFields, path: string[] = ['input']): { ok: true; value: SignUpFields } | { ok: false; errors: UserError[] } {
  const errors: UserError[] = [];
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!isValidEmail(email)) {
    errors.push(userError(SignUpErrorCode.INVALID_EMAIL, `Enter a valid email address of at most ${EMAIL_MAX_LENGTH} characters`, [...path, 'email']));
  }
  errors.push(...validatePassword(input.password, [...path, 'password']));
  if (!nameSchema.safeParse(name).success) {
    errors.push(userError(SignUpErrorCode.INVALID_NAME, `Name must have 1 to ${NAME_MAX_LENGTH} characters and no control characters`, [...path, 'name']));
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { email, password: input.password, name } };
}

/** The rules of a new password (sign-up, changePassword, resetPassword): one userError or none. */
export function validatePassword(password: string, field: string[]): UserError[] {
  const length = codePoints(password);
  if (length < PASSWORD_MIN_LENGTH) return [userError(SignUpErrorCode.PASSWORD_TOO_SHORT, `Password must have at least ${PASSWORD_MIN_LENGTH} characters`, field)];
  if (length > PASSWORD_MAX_LENGTH) return [userError(SignUpErrorCode.PASSWORD_TOO_LONG, `Password must have at most ${PASSWORD_MAX_LENGTH} characters`, field)];
  return [];
}

/** Log-in input that cannot belong to any account (skips the database and the KDF). */
export function isPlausibleLogIn(email: string, password: string): boolean {
  return isValidEmail(email) && password.length > 0 && codePoints(password) <= PASSWORD_MAX_LENGTH;
}
