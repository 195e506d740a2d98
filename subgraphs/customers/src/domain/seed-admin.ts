import { ConfigError } from '@commerce/platform';
import type { AccountDeps, RequestScope } from './accounts.ts';
import { signUp } from './sign-up.ts';
import { SignUpErrorCode, normalizeEmail } from './validation.ts';

export const DEFAULT_SEED_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_SEED_ADMIN_PASSWORD = 'admin-password';

export interface SeedAdminOptions {
  nodeEnv: 'development' | 'test' | 'production';
  email?: string | undefined;
  password?: string | undefined;
}

export type SeedOutcome = 'created' | 'exists' | 'refused' | 'skipped';

/**
 * Development seed: makes sure an admin (roles CUSTOMER and ADMIN) exists, so the back office can
 * be tried at once. Idempotent: an existing account with that email is left as it is. Never runs in
 * production; there, SEED_ADMIN_* being set is refused with a warning (a known admin password must
 * not reach a live system by accident).
 */
export async function seedAdmin(deps: AccountDeps, opts: SeedAdminOptions): Promise<SeedOutcome> {
  const { logger } = deps;
  if (opts.nodeEnv === 'production') {
    if (opts.email !== undefined || opts.password !== undefined) {
      logger.warn('SEED_ADMIN_EMAIL/SEED_ADMIN_PASSWORD are set but NODE_ENV=production: no admin was seeded');
      return 'refused';
    }
    return 'skipped';
  }
  const email = opts.email ?? DEFAULT_SEED_ADMIN_EMAIL;
  const scope: RequestScope = { requestId: 'seed-admin', logger };
  const result = await signUp(deps, { email, password: opts.password ?? DEFAULT_SEED_ADMIN_PASSWORD, name: 'Admin' }, scope, ['CUSTOMER', 'ADMIN'], { verificationMail: false });
  if (result.ok) {
    logger.info({ customerId: result.value.customer._id, email: result.value.customer.email }, 'seeded the development admin');
    return 'created';
  }
  if (result.errors.every((e) => e.code === SignUpErrorCode.EMAIL_TAKEN)) {
    const existing = await deps.customers.findOne({ email: normalizeEmail(email) }).lean();
    if (existing && !existing.roles.includes('ADMIN')) {
      logger.warn({ customerId: existing._id }, 'the seed admin email belongs to an account without the ADMIN role; left unchanged');
    }
    return 'exists';
  }
  const lines = result.errors.map((e) => `  SEED_ADMIN_${e.field?.at(-1) === 'password' ? 'PASSWORD' : 'EMAIL'}: ${e.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
