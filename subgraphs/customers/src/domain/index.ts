import type { Role } from '@commerce/platform';
import type { AccountDeps, AuthResult, RequestScope } from './accounts.ts';
import { logIn } from './log-in.ts';
import { seedAdmin, type SeedAdminOptions, type SeedOutcome } from './seed-admin.ts';
import { signUp } from './sign-up.ts';
import type { SignUpFields } from './validation.ts';

export type { AccountDeps, AuthResult, Authenticated, RequestScope } from './accounts.ts';
export type { SeedAdminOptions, SeedOutcome } from './seed-admin.ts';

/** The account use cases, bound to their dependencies (what resolvers reach through the context). */
export interface AccountService {
  signUp(input: SignUpFields, scope: RequestScope, roles?: Role[]): Promise<AuthResult>;
  logIn(email: string, password: string, scope: RequestScope): Promise<AuthResult>;
  seedAdmin(opts: SeedAdminOptions): Promise<SeedOutcome>;
}

export function createAccountService(deps: AccountDeps): AccountService {
  return {
    signUp: (input, scope, roles) => signUp(deps, input, scope, roles),
    logIn: (email, password, scope) => logIn(deps, email, password, scope),
    seedAdmin: (opts) => seedAdmin(deps, opts),
  };
}
