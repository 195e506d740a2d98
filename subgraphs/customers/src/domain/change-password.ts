import { userError } from '@commerce/platform';
import { CUSTOMERS_COLLECTION, type CustomerDoc } from '../model/customer.model.ts';
import { AccountErrorCode, conflict } from './account-errors.ts';
import { authenticated, withoutHash, type AccountDeps, type AuthResult, type RequestScope } from './accounts.ts';
import { isPlausibleLogIn, validatePassword } from './validation.ts';

const wrongPassword = (): AuthResult => ({ ok: false, errors: [userError(AccountErrorCode.INVALID_CREDENTIALS, 'The current password is incorrect', ['currentPassword'])] });

/**
 * The signed-in customer replaces their password. The current password is checked like a log-in:
 * the attempt is counted by the log-in throttle (per account and client IP) before the KDF runs, so
 * a stolen access token cannot be used to guess the password faster than the log-in form allows.
 * The new hash is a version commit that stands only on the hash it checked (a concurrent change
 * wins, this one answers CONFLICT). Then the account's other sessions are ended
 * (`onCredentialsChanged`) and a new access token is issued.
 */
export async function changePassword(deps: AccountDeps, customerId: string, currentPassword: string, newPassword: string, scope: RequestScope): Promise<AuthResult> {
  const weak = validatePassword(newPassword, ['newPassword']);
  if (weak.length) return { ok: false, errors: weak };

  const doc = await deps.customers.findOne({ _id: customerId }).select('+passwordHash').lean<CustomerDoc>();
  if (!doc) return wrongPassword();
  const admission = await deps.throttle.admit({ email: doc.email, ip: scope.clientIp });
  if (!admission.allowed) {
    scope.logger.info({ customerId, throttle: admission.scope, retryAfterSeconds: admission.retryAfterSeconds }, 'password change refused: too many failed attempts');
    return { ok: false, errors: [userError(AccountErrorCode.TOO_MANY_ATTEMPTS, `Too many failed attempts; try again in ${admission.retryAfterSeconds} seconds`)] };
  }
  // an empty or oversized password cannot be the current one: counted, but no KDF
  const verification = isPlausibleLogIn(doc.email, currentPassword) ? await deps.passwords.verify(currentPassword, doc.passwordHash) : { ok: false };
  if (!verification.ok) {
    scope.logger.info({ customerId }, 'password change refused: wrong current password');
    return wrongPassword();
  }
  await admission.attempt.succeeded();

  const passwordHash = await deps.passwords.hash(newPassword);
  const result = await deps.committer.update<CustomerDoc, 'changed'>(CUSTOMERS_COLLECTION, customerId, (current) => {
    if (!current || current.passwordHash !== doc.passwordHash) return { done: 'changed' };
    return { next: { ...current, passwordHash, version: current.version + 1 }, events: [] };
  });
  if (result.status !== 'committed') {
    scope.logger.info({ customerId, outcome: result.status }, 'password change lost to a concurrent change');
    return conflict();
  }
  scope.logger.info({ customerId, version: result.state.version }, 'password changed');
  await deps.onCredentialsChanged?.(customerId);
  return authenticated(deps, withoutHash(result.state));
}
