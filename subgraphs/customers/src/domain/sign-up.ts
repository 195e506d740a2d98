import { newId, userError } from '@commerce/platform';
import { customerRegistered, type RegisteredCustomer, type RegistrationRole } from '../events/index.ts';
import { CUSTOMERS_COLLECTION, type CustomerDoc } from '../model/customer.model.ts';
import { authenticated, type AccountDeps, type AuthResult, type RequestScope } from './accounts.ts';
import { sendVerificationCode } from './email-verification.ts';
import { SignUpErrorCode, validateSignUp, type SignUpFields } from './validation.ts';

/**
 * Creates an account and logs it in. Uniqueness of the email is decided by the unique index on
 * insert (the outbox commit reports `duplicate`), never by a read before the write: of any number
 * of concurrent sign-ups with one email exactly one succeeds, on MongoDB and on FerretDB alike.
 * The customer-registered event is committed with the document and published by the relay.
 * An email-verification code is mailed to the new account (unless `verificationMail` is false: the
 * dev seed); if that fails the sign-up stands and requestEmailVerification sends another.
 */
export async function signUp(deps: AccountDeps, input: SignUpFields, scope: RequestScope, roles: RegistrationRole[] = ['CUSTOMER'], opts: { verificationMail?: boolean } = {}): Promise<AuthResult> {
  const valid = validateSignUp(input);
  if (!valid.ok) return valid;
  const { email, password, name } = valid.value;

  const record: RegisteredCustomer = { _id: newId('cust'), email, name, roles: [...roles], createdAt: new Date(), version: 1 };
  const doc: CustomerDoc = { ...record, passwordHash: await deps.passwords.hash(password) };
  const result = await deps.committer.commit(CUSTOMERS_COLLECTION, doc, [customerRegistered(record, scope)]);
  if (!result.ok) {
    if (result.reason === 'duplicate') {
      return { ok: false, errors: [userError(SignUpErrorCode.EMAIL_TAKEN, 'An account with this email already exists', ['input', 'email'])] };
    }
    // a fresh random id cannot lose a version race; if it did, something else is badly wrong
    throw new Error(`sign-up commit failed: ${result.reason}`);
  }
  scope.logger.info({ customerId: record._id, roles: record.roles }, 'customer registered');
  if (opts.verificationMail ?? true) {
    await sendVerificationCode(deps, record, scope).catch((err: unknown) =>
      scope.logger.warn({ customerId: record._id, error: err instanceof Error ? err.message : String(err) }, 'email verification code not issued at sign-up'),
    );
  }
  return authenticated(deps, record);
}
