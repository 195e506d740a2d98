import { GraphQLError } from 'graphql';

/**
 * Expected business failures are typed results (`userErrors`); exceptions are for auth,
 * validation of the request itself and system faults, each with a stable `extensions.code`.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
}
export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 200 } } });
}
export function forbidden(message = 'Not allowed'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}
export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/** A `userErrors` entry: what the client did wrong, on which input field, with a stable code. */
export interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}
export function userError(code: string, message: string, field?: string[] | string): UserError {
  return { code, message, field: field === undefined ? null : Array.isArray(field) ? field : [field] };
}

/** A domain result: either a value or the user errors that explain why not. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...errors: UserError[]): Result<T> => ({ ok: false, errors });

/** MongoDB's duplicate-key error (code 11000), one definition shared with the event backbone. */
export { isDuplicateKeyError } from '@commerce/events';
