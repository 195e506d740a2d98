import type { Identity, Result, Role } from '@commerce/platform';
import type { RegistrationRole } from '../events/index.ts';
import type { CustomerRecord } from '../model/customer.model.ts';
import type { AccountDeps, AuthResult, RequestScope } from './accounts.ts';
import { changeRole } from './change-role.ts';
import { logIn } from './log-in.ts';
import { seedAdmin, type SeedAdminOptions, type SeedOutcome } from './seed-admin.ts';
import { signUp } from './sign-up.ts';
import type { SignUpFields } from './validation.ts';

export type { AccountDeps, AuthResult, Authenticated, RequestScope } from './accounts.ts';
export type { SeedAdminOptions, SeedOutcome } from './seed-admin.ts';
export { RoleChangeErrorCode, type RoleChange } from './change-role.ts';

/** The account use cases, bound to their dependencies (what resolvers reach through the context). */
export interface AccountService {
  signUp(input: SignUpFields, scope: RequestScope, roles?: RegistrationRole[]): Promise<AuthResult>;
  logIn(email: string, password: string, scope: RequestScope): Promise<AuthResult>;
  seedAdmin(opts: SeedAdminOptions): Promise<SeedOutcome>;
  /** an admin grants a role (ADMIN checked by the shield rule); effective in tokens from the next log-in */
  grantRole(customerId: string, role: Role, actor: Identity, scope: RequestScope): Promise<Result<CustomerRecord>>;
  /** an admin revokes a role; tokens issued before keep it until they expire */
  revokeRole(customerId: string, role: Role, actor: Identity, scope: RequestScope): Promise<Result<CustomerRecord>>;
}

export function createAccountService(deps: AccountDeps): AccountService {
  return {
    signUp: (input, scope, roles) => signUp(deps, input, scope, roles),
    logIn: (email, password, scope) => logIn(deps, email, password, scope),
    seedAdmin: (opts) => seedAdmin(deps, opts),
    grantRole: (customerId, role, actor, scope) => changeRole(deps, { customerId, role, action: 'grant', actor }, scope),
    revokeRole: (customerId, role, actor, scope) => changeRole(deps, { customerId, role, action: 'revoke', actor }, scope),
  };
}
