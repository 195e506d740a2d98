import { isId, ROLES, userError, type Identity, type Result, type Role } from '@commerce/platform';
import { CUSTOMERS_COLLECTION, type CustomerDoc, type CustomerRecord } from '../model/customer.model.ts';
import type { RoleChangeErrorCode as SchemaRoleChangeErrorCode } from '../__generated__/resolvers-types.ts';
import type { AccountDeps, RequestScope } from './accounts.ts';

/** The userErrors codes of grantRole / revokeRole: exactly the schema's enum RoleChangeErrorCode. */
export const RoleChangeErrorCode = {
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  CUSTOMER_ROLE_REQUIRED: 'CUSTOMER_ROLE_REQUIRED',
  CANNOT_REVOKE_OWN_ADMIN: 'CANNOT_REVOKE_OWN_ADMIN',
  CONFLICT: 'CONFLICT',
} as const satisfies { [K in SchemaRoleChangeErrorCode]: K };

export interface RoleChange {
  customerId: string;
  role: Role;
  action: 'grant' | 'revoke';
  /** the admin asking (the shield rule let only admins through) */
  actor: Identity;
}

const notFound = (): Result<never> => ({ ok: false, errors: [userError(RoleChangeErrorCode.CUSTOMER_NOT_FOUND, 'No customer with this id', ['customerId'])] });

function withoutHash(doc: CustomerDoc): CustomerRecord {
  const { passwordHash: _hash, ...record } = doc;
  return record;
}

/**
 * Grants or revokes one role. The change is a version commit on the customer through the outbox
 * committer (the unique `customers:<id>:<version>` entry is the claim), so two concurrent changes
 * of one customer never lose each other on FerretDB either: the loser re-decides on the winner's
 * state. Granting a role the customer has, or revoking one they lack, commits nothing. Access
 * tokens carry roles from the customer's next log-in; tokens issued before keep their roles until
 * they expire (ACCESS_TOKEN_TTL).
 */
export async function changeRole(deps: AccountDeps, change: RoleChange, scope: RequestScope): Promise<Result<CustomerRecord>> {
  const { customerId, role, action, actor } = change;
  if (action === 'revoke' && role === 'CUSTOMER') {
    return { ok: false, errors: [userError(RoleChangeErrorCode.CUSTOMER_ROLE_REQUIRED, 'Every account has the CUSTOMER role; it cannot be revoked', ['role'])] };
  }
  if (action === 'revoke' && role === 'ADMIN' && actor.id === customerId) {
    return { ok: false, errors: [userError(RoleChangeErrorCode.CANNOT_REVOKE_OWN_ADMIN, 'You cannot revoke your own ADMIN role; another admin can', ['role'])] };
  }
  if (!isId('cust', customerId)) return notFound();

  const result = await deps.committer.update<CustomerDoc, Result<CustomerRecord>>(CUSTOMERS_COLLECTION, customerId, (current) => {
    if (!current) return { done: notFound() };
    const has = current.roles.includes(role);
    if (action === 'grant' ? has : !has) return { done: { ok: true, value: withoutHash(current) } };
    // kept in the platform's order (CUSTOMER, ADMIN, SUPPORT_AGENT), so a grant and a revoke undo each other
    const roles = action === 'grant' ? ROLES.filter((r) => r === role || current.roles.includes(r)) : current.roles.filter((r) => r !== role);
    return { next: { ...current, roles, version: current.version + 1 }, events: [] };
  });
  if (result.status === 'done') return result.value;
  if (result.status === 'contended') {
    return { ok: false, errors: [userError(RoleChangeErrorCode.CONFLICT, 'The customer is being changed concurrently; try again')] };
  }
  const record = withoutHash(result.state);
  scope.logger.info({ customerId, role, action, by: actor.id, roles: record.roles, version: record.version }, action === 'grant' ? 'role granted' : 'role revoked');
  return { ok: true, value: record };
}
