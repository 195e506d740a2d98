import { userError, type Result } from '@commerce/platform';
import { CUSTOMERS_COLLECTION, type CustomerDoc } from '../model/customer.model.ts';
import { AccountErrorCode, conflict, invalidCode, tooManyCodeRequests } from './account-errors.ts';
import { passwordResetMail } from './account-mail.ts';
import { authenticated, withoutHash, type AccountDeps, type AuthResult, type RequestScope } from './accounts.ts';
import { isValidEmail, normalizeEmail, validatePassword } from './validation.ts';

export interface CodeRequested {
  /** how long the code is valid */
  expiresInSeconds: number;
}

/**
 * Mails a password-reset code to the account with this email. The answer is the same whether or
 * not an account has it, and so is the work: the request is counted (per email and client IP), the
 * email looked up, and a code made and stored in Redis under the email either way (one for an
 * unknown email is bound to no account, so it can never be used); only a real account's code is
 * mailed, by the dispatcher outside the request, so no answer waits for a mail server. A new
 * request replaces the email's previous code.
 */
export async function requestPasswordReset(deps: AccountDeps, rawEmail: string, scope: RequestScope): Promise<Result<CodeRequested>> {
  const email = normalizeEmail(rawEmail);
  if (!isValidEmail(email)) return { ok: false, errors: [userError(AccountErrorCode.INVALID_EMAIL, 'Enter a valid email address', ['email'])] };
  const admission = await deps.codeRequests.admit({ email, ip: scope.clientIp });
  if (!admission.allowed) {
    scope.logger.info({ throttle: admission.scope, retryAfterSeconds: admission.retryAfterSeconds }, 'password reset refused: too many codes requested');
    return tooManyCodeRequests(admission.retryAfterSeconds);
  }
  const doc = await deps.customers.findOne({ email }).lean<CustomerDoc>();
  const code = await deps.codes.issue('password-reset', email, doc?._id ?? '');
  const expiresInSeconds = deps.codes.ttlSeconds('password-reset');
  if (doc) {
    deps.mail.dispatch(passwordResetMail(email, code, expiresInSeconds), 'password-reset', scope.logger);
    scope.logger.info({ customerId: doc._id }, 'password reset code issued');
  } else {
    scope.logger.info('password reset requested for an email without an account; nothing mailed');
  }
  return { ok: true, value: { expiresInSeconds } };
}

/**
 * Sets a new password with a mailed code and logs the account in. The new password is checked
 * first (a weak one does not use up the code). The code is consumed atomically in Redis (exactly
 * one of any concurrent submissions is accepted; wrong tries count toward burning it); then the
 * new hash is a version commit on the account, which also marks the email verified (the code
 * reached that mailbox). The account's other sessions are ended before the new token is issued.
 */
export async function resetPassword(deps: AccountDeps, rawEmail: string, code: string, newPassword: string, scope: RequestScope): Promise<AuthResult> {
  const weak = validatePassword(newPassword, ['newPassword']);
  if (weak.length) return { ok: false, errors: weak };
  const email = normalizeEmail(rawEmail);
  if (!isValidEmail(email)) return invalidCode();

  const outcome = await deps.codes.consume('password-reset', email, code);
  if (outcome.status !== 'accepted' || !outcome.binding) {
    scope.logger.info({ outcome: outcome.status }, 'password reset refused: invalid code');
    return invalidCode();
  }
  const customerId = outcome.binding;
  const passwordHash = await deps.passwords.hash(newPassword);
  const result = await deps.committer.update<CustomerDoc, 'gone'>(CUSTOMERS_COLLECTION, customerId, (current) => {
    // the account must still be the one the code was mailed to
    if (!current || current.email !== email) return { done: 'gone' };
    return { next: { ...current, passwordHash, emailVerifiedAt: current.emailVerifiedAt ?? new Date(), version: current.version + 1 }, events: [] };
  });
  if (result.status === 'done') return invalidCode();
  if (result.status === 'contended') {
    scope.logger.warn({ customerId }, 'password reset lost to concurrent changes; the code is used up');
    return conflict();
  }
  scope.logger.info({ customerId, version: result.state.version }, 'password reset');
  await deps.onCredentialsChanged?.(customerId);
  return authenticated(deps, withoutHash(result.state));
}
