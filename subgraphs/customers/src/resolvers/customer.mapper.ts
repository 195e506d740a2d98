import type { CustomerRecord } from '../model/customer.model.ts';
import type { Customer } from '../__generated__/resolvers-types.ts';

/** Record → API type. Only the fields listed here can ever reach a response (never passwordHash). */
export function toCustomer(record: CustomerRecord): Customer {
  return { __typename: 'Customer', id: record._id, email: record.email, name: record.name, roles: [...record.roles], createdAt: record.createdAt.toISOString(), emailVerified: !!record.emailVerifiedAt, emailVerifiedAt: record.emailVerifiedAt?.toISOString() ?? null };
}
