import type { Identity, Result, Role } from '@commerce/platform';
import type { RegistrationRole } from '../events/index.ts';
import type { CustomerRecord } from '../model/customer.model.ts';
import type { AccountDeps, AuthResult, RequestScope } from './accounts.ts';
import { changePassword } from './change-password.ts';
import { changeRole } from './change-role.ts';
import { requestEmailVerification, verifyEmail } from './email-verification.ts';
import { requestPasswordReset, resetPassword, type CodeRequested } from './password-reset.ts';
import { checkCredentials, logIn } from './log-in.ts';
import { seedAdmin, type SeedAdminOptions, type SeedOutcome } from './seed-admin.ts';
import { signUp } from './sign-up.ts';
import type { SignUpFields } from './validation.ts';

export type { AccountDeps, AuthResult, Authenticated, RequestScope } from './accounts.ts';
export type { SeedAdminOptions, SeedOutcome } from './seed-admin.ts';
export { RoleChangeErrorCode, type RoleChange } from './change-role.ts';
export { AccountErrorCode } from './account-errors.ts';
export type { CodeRequested } from './password-reset.ts';

/** The account use cases, bound to their dependencies (what resolvers reach through the context). */
export interface AccountService {
  signUp(input: SignUpFields, scope: RequestScope, roles?: RegistrationRole[]): Promise<AuthResult>;
  logIn(email: string, password: string, scope: RequestScope): Promise<AuthResult>;
  /** logIn's throttled password check without a token (the OAuth provider's log-in page) */
  checkCredentials(email: string, password: string, scope: RequestScope): Promise<Result<CustomerRecord>>;
  seedAdmin(opts: SeedAdminOptions): Promise<SeedOutcome>;
  /** an admin grants a role (ADMIN checked by the shield rule); effective in tokens from the next log-in */
  grantRole(customerId: string, role: Role, actor: Identity, scope: RequestScope): Promise<Result<CustomerRecord>>;
  /** an admin revokes a role; tokens issued before keep it until they expire */
  revokeRole(customerId: string, role: Role, actor: Identity, scope: RequestScope): Promise<Result<CustomerRecord>>;
  /** the signed-in customer replaces their password (current one checked, throttled like log-ins); ends their other sessions */
  changePassword(customerId: string, currentPassword: string, newPassword: string, scope: RequestScope): Promise<AuthResult>;
  /** mails a single-use reset code; the same answer whether or not an account has the email */
  requestPasswordReset(email: string, scope: RequestScope): Promise<Result<CodeRequested>>;
  /** a new password with a mailed code; ends the account's other sessions */
  resetPassword(email: string, code: string, newPassword: string, scope: RequestScope): Promise<AuthResult>;
  /** mails the signed-in customer another email-verification code */
  requestEmailVerification(customerId: string, scope: RequestScope): Promise<Result<CodeRequested>>;
  verifyEmail(customerId: string, code: string, scope: RequestScope): Promise<Result<CustomerRecord>>;
}

export function createAccountService(deps: AccountDeps): AccountService {
  return {
    signUp: (input, scope, roles) => signUp(deps, input, scope, roles),
    logIn: (email, password, scope) => logIn(deps, email, password, scope),
    checkCredentials: (email, password, scope) => checkCredentials(deps, email, password, scope),
    seedAdmin: (opts) => seedAdmin(deps, opts),
    grantRole: (customerId, role, actor, scope) => changeRole(deps, { customerId, role, action: 'grant', actor }, scope),
    revokeRole: (customerId, role, actor, scope) => changeRole(deps, { customerId, role, action: 'revoke', actor }, scope),
    changePassword: (customerId, currentPassword, newPassword, scope) => changePassword(deps, customerId, currentPassword, newPassword, scope),
    requestPasswordReset: (email, scope) => requestPasswordReset(deps, email, scope),
    resetPassword: (email, code, newPassword, scope) => resetPassword(deps, email, code, newPassword, scope),
    requestEmailVerification: (customerId, scope) => requestEmailVerification(deps, customerId, scope),
    verifyEmail: (customerId, code, scope) => verifyEmail(deps, customerId, code, scope),
  };
}
