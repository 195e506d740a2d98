import { userError } from '@commerce/platform';
import type { CustomerDoc, CustomerRecord } from '../model/customer.model.ts';
import { authenticated, type AccountDeps, type AuthResult, type RequestScope } from './accounts.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { isPlausibleLogIn, normalizeEmail } from './validation.ts';

export const INVALID_CREDENTIALS = 'INVALID_CREDENTIALS';

const invalidCredentials = (): AuthResult => ({
  ok: false,
  // one message for "no such email" and "wrong password": the answer must not tell them apart
  errors: [userError(INVALID_CREDENTIALS, 'Email or password is incorrect')],
});

/**
 * Exchanges email and password for an access token. An unknown email runs the same KDF as a
 * wrong password, so response time does not reveal which accounts exist.
 */
export async function logIn(deps: AccountDeps, rawEmail: string, password: string, scope: RequestScope): Promise<AuthResult> {
  const email = normalizeEmail(rawEmail);
  // input no account can have (bad email, empty or oversized password) needs neither DB nor KDF
  if (!isPlausibleLogIn(email, password)) return invalidCredentials();

  const doc = await deps.customers.findOne({ email }).select('+passwordHash').lean<CustomerDoc>();
  if (!doc) {
    await burnPasswordCheck(password);
    return invalidCredentials();
  }
  if (!(await verifyPassword(password, doc.passwordHash))) {
    scope.logger.info({ customerId: doc._id }, 'log-in failed: wrong password');
    return invalidCredentials();
  }
  const { passwordHash: _hash, ...customer } = doc;
  return authenticated(deps, customer satisfies CustomerRecord);
}
