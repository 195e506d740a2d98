import { userError, type Result } from '@commerce/platform';
import { CUSTOMERS_COLLECTION, type CustomerDoc, type CustomerRecord } from '../model/customer.model.ts';
import { authenticated, type AccountDeps, type AuthResult, type RequestScope } from './accounts.ts';
import { isPlausibleLogIn, normalizeEmail } from './validation.ts';

type Failure = Extract<Result<never>, { ok: false }>;

export const INVALID_CREDENTIALS = 'INVALID_CREDENTIALS';
export const TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS';

const invalidCredentials = (): Failure => ({
  ok: false,
  // one message for "no such email" and "wrong password": the answer must not tell them apart
  errors: [userError(INVALID_CREDENTIALS, 'Email or password is incorrect')],
});

const tooManyAttempts = (retryAfterSeconds: number): Failure => ({
  ok: false,
  // the same for an unknown email: the throttle counts emails, not accounts
  errors: [userError(TOO_MANY_ATTEMPTS, `Too many failed log-in attempts; try again in ${retryAfterSeconds} seconds`)],
});

/**
 * Exchanges email and password for an access token. An unknown email runs the same KDF as a
 * wrong password, so response time does not reveal which accounts exist. Every attempt is counted
 * by the log-in throttle before the password is checked (per email and per client IP); over the
 * limit the answer is TOO_MANY_ATTEMPTS, without a database read or a KDF. A successful log-in
 * with a hash of weaker parameters than today's stores a new hash.
 */
export async function logIn(deps: AccountDeps, rawEmail: string, password: string, scope: RequestScope): Promise<AuthResult> {
  const checked = await checkCredentials(deps, rawEmail, password, scope);
  return checked.ok ? authenticated(deps, checked.value) : checked;
}

/**
 * logIn without the token: the throttled password check, for every way in (GraphQL `logIn`, the
 * OAuth provider's log-in page). The customer, or INVALID_CREDENTIALS / TOO_MANY_ATTEMPTS.
 */
export async function checkCredentials(deps: AccountDeps, rawEmail: string, password: string, scope: RequestScope): Promise<Result<CustomerRecord>> {
  const email = normalizeEmail(rawEmail);
  // input no account can have (bad email, empty or oversized password) needs neither DB nor KDF
  if (!isPlausibleLogIn(email, password)) return invalidCredentials();

  const admission = await deps.throttle.admit({ email, ip: scope.clientIp });
  if (!admission.allowed) {
    scope.logger.info({ throttle: admission.scope, retryAfterSeconds: admission.retryAfterSeconds }, 'log-in refused: too many failed attempts');
    return tooManyAttempts(admission.retryAfterSeconds);
  }

  const doc = await deps.customers.findOne({ email }).select('+passwordHash').lean<CustomerDoc>();
  if (!doc) {
    await deps.passwords.burn(password);
    return invalidCredentials();
  }
  const verification = await deps.passwords.verify(password, doc.passwordHash);
  if (!verification.ok) {
    scope.logger.info({ customerId: doc._id }, 'log-in failed: wrong password');
    return invalidCredentials();
  }
  await admission.attempt.succeeded();
  if (verification.needsRehash) await rehash(deps, doc, password, scope);
  const { passwordHash: _hash, ...customer } = doc;
  return { ok: true, value: customer satisfies CustomerRecord };
}

/**
 * Replaces a hash made with weaker scrypt parameters by one with today's, now that the password
 * is known to be right. A version commit like every other change of a customer (FerretDB-safe): if
 * the hash changed since it was read (another log-in rehashed it first), that one stands. A failure
 * here never fails the log-in: the old hash still verifies and the next log-in tries again.
 */
async function rehash(deps: AccountDeps, doc: CustomerDoc, password: string, scope: RequestScope): Promise<void> {
  try {
    const passwordHash = await deps.passwords.hash(password, 'rehash');
    const result = await deps.committer.update<CustomerDoc, 'changed'>(
      CUSTOMERS_COLLECTION,
      doc._id,
      (current) => {
        if (!current || current.passwordHash !== doc.passwordHash) return { done: 'changed' };
        return { next: { ...current, passwordHash, version: current.version + 1 }, events: [] };
      },
      { maxAttempts: 5 },
    );
    const { N, r, p } = deps.passwords.params;
    scope.logger.info({ customerId: doc._id, outcome: result.status, params: { N, r, p } }, result.status === 'committed' ? 'password rehashed with today\'s scrypt parameters' : 'password rehash skipped');
  } catch (err) {
    scope.logger.warn({ err, customerId: doc._id }, 'password rehash failed; the old hash stays until the next log-in');
  }
}
