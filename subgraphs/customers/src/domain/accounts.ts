import type { Committer } from '@commerce/events';
import type { Logger, Result } from '@commerce/platform';
import type { CustomerDoc, CustomerModel, CustomerRecord } from '../model/customer.model.ts';
import type { EventCause } from '../events/index.ts';
import type { CodeRequestLimiter } from './code-requests.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { MailDispatcher } from './mail.ts';
import type { OneTimeCodes } from './one-time-codes.ts';
import type { PasswordHasher } from './passwords.ts';
import type { TokenIssuer } from './tokens.ts';

/** What the account use cases need; built once at start by the composition root. */
export interface AccountDeps {
  customers: CustomerModel;
  committer: Committer;
  tokens: TokenIssuer;
  /** scrypt with today's parameters (CUSTOMERS_SCRYPT_LOG_N) */
  passwords: PasswordHasher;
  /** failed log-ins per account and per client IP, in Redis */
  throttle: LoginThrottle;
  /** single-use password-reset and email-verification codes, in Redis */
  codes: OneTimeCodes;
  /** how many codes may be mailed per account and per client IP */
  codeRequests: CodeRequestLimiter;
  /** the mail port, sending outside the request */
  mail: MailDispatcher;
  /**
   * Ends the account's other sessions. Awaited by changePassword and resetPassword after the new
   * password is stored and before the new access token is issued; a failure fails the operation
   * (the password stays changed, a retry with the new password as current works). Optional:
   * without it, tokens issued before live until they expire.
   */
  onCredentialsChanged?: (customerId: string) => Promise<void>;
  logger: Logger;
}

/** Who is asking: for the log line, the events' correlation and the log-in throttle. */
export interface RequestScope extends EventCause {
  logger: Logger;
  /** the client's address from the router's signed context; absent when called without one */
  clientIp?: string | undefined;
}

/** A successful sign-up or log-in. */
export interface Authenticated {
  customer: CustomerRecord;
  accessToken: string;
}

export type AuthResult = Result<Authenticated>;

/** A stored customer without its password hash: what leaves the domain. */
export function withoutHash(doc: CustomerDoc): CustomerRecord {
  const { passwordHash: _hash, ...record } = doc;
  return record;
}

export async function authenticated(deps: AccountDeps, customer: CustomerRecord): Promise<AuthResult> {
  const accessToken = await deps.tokens.issue({ id: customer._id, roles: customer.roles });
  return { ok: true, value: { customer, accessToken } };
}
