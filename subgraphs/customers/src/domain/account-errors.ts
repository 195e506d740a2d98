import { userError, type Result } from '@commerce/platform';
import type { AccountErrorCode as SchemaAccountErrorCode } from '../__generated__/resolvers-types.ts';

/** The userErrors codes of the account-security operations: exactly the schema's enum AccountErrorCode. */
export const AccountErrorCode = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  PASSWORD_TOO_SHORT: 'PASSWORD_TOO_SHORT',
  PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  INVALID_EMAIL: 'INVALID_EMAIL',
  INVALID_CODE: 'INVALID_CODE',
  EMAIL_ALREADY_VERIFIED: 'EMAIL_ALREADY_VERIFIED',
  CONFLICT: 'CONFLICT',
} as const satisfies { [K in SchemaAccountErrorCode]: K };

/** One answer for a wrong, expired, used, replaced or burnt code: the caller learns nothing more. */
export const invalidCode = (field: string[] = ['code']): Result<never> => ({
  ok: false,
  errors: [userError(AccountErrorCode.INVALID_CODE, 'The code is wrong, expired or already used; request a new one', field)],
});

export const conflict = (): Result<never> => ({
  ok: false,
  errors: [userError(AccountErrorCode.CONFLICT, 'The account is being changed concurrently; try again')],
});

export const tooManyCodeRequests = (retryAfterSeconds: number): Result<never> => ({
  ok: false,
  errors: [userError(AccountErrorCode.TOO_MANY_ATTEMPTS, `Too many codes requested; try again in ${retryAfterSeconds} seconds`)],
});
