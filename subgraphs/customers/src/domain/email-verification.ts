import { unauthenticated, type Result } from '@commerce/platform';
import { userError } from '@commerce/platform';
import { CUSTOMERS_COLLECTION, type CustomerDoc, type CustomerRecord } from '../model/customer.model.ts';
import { AccountErrorCode, conflict, invalidCode, tooManyCodeRequests } from './account-errors.ts';
import { verificationMail } from './account-mail.ts';
import { withoutHash, type AccountDeps, type RequestScope } from './accounts.ts';
import type { CodeRequested } from './password-reset.ts';

/**
 * Email verification: a code mailed to the account's address (at sign-up and on request), entered
 * by the signed-in customer. The same single-use codes as password reset (one-time-codes.ts),
 * keyed by the customer and bound to the address it was mailed to: a code for an address the
 * account no longer has is refused.
 */

/** Issues a verification code (replacing the previous one) and mails it outside the request. */
export async function sendVerificationCode(deps: AccountDeps, customer: Pick<CustomerRecord, '_id' | 'email'>, scope: RequestScope): Promise<CodeRequested> {
  const code = await deps.codes.issue('email-verification', customer._id, customer.email);
  const expiresInSeconds = deps.codes.ttlSeconds('email-verification');
  deps.mail.dispatch(verificationMail(customer.email, code, expiresInSeconds), 'email-verification', scope.logger);
  scope.logger.info({ customerId: customer._id }, 'email verification code issued');
  return { expiresInSeconds };
}

/** The signed-in customer asks for another code; limited like password-reset codes. */
export async function requestEmailVerification(deps: AccountDeps, customerId: string, scope: RequestScope): Promise<Result<CodeRequested>> {
  const doc = await deps.customers.findOne({ _id: customerId }).lean<CustomerDoc>();
  if (!doc) throw unauthenticated('The account of this access token does not exist');
  if (doc.emailVerifiedAt) return { ok: false, errors: [userError(AccountErrorCode.EMAIL_ALREADY_VERIFIED, 'This email address is verified already')] };
  const admission = await deps.codeRequests.admit({ email: doc.email, ip: scope.clientIp });
  if (!admission.allowed) {
    scope.logger.info({ customerId, throttle: admission.scope, retryAfterSeconds: admission.retryAfterSeconds }, 'email verification refused: too many codes requested');
    return tooManyCodeRequests(admission.retryAfterSeconds);
  }
  return { ok: true, value: await sendVerificationCode(deps, doc, scope) };
}

/**
 * Marks the email verified with a code. Consumed atomically in Redis (single use, wrong tries
 * burn it), then one version commit; verifying an email that is verified already changes nothing.
 */
export async function verifyEmail(deps: AccountDeps, customerId: string, code: string, scope: RequestScope): Promise<Result<CustomerRecord>> {
  const outcome = await deps.codes.consume('email-verification', customerId, code);
  if (outcome.status !== 'accepted') {
    scope.logger.info({ customerId, outcome: outcome.status }, 'email verification refused: invalid code');
    return invalidCode();
  }
  const result = await deps.committer.update<CustomerDoc, Result<CustomerRecord>>(CUSTOMERS_COLLECTION, customerId, (current) => {
    if (!current || current.email !== outcome.binding) return { done: invalidCode() };
    if (current.emailVerifiedAt) return { done: { ok: true, value: withoutHash(current) } };
    return { next: { ...current, emailVerifiedAt: new Date(), version: current.version + 1 }, events: [] };
  });
  if (result.status === 'done') return result.value;
  if (result.status === 'contended') return conflict();
  scope.logger.info({ customerId }, 'email verified');
  return { ok: true, value: withoutHash(result.state) };
}
