import { forbidden, isId } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { CustomerResolvers, QueryResolvers } from '../__generated__/resolvers-types.ts';
import { toCustomer } from './customer.mapper.ts';

async function loadCustomer(ctx: Context, id: string) {
  if (!isId('cust', id)) return null;
  const record = await ctx.loaders.customerById.load(id);
  return record ? toCustomer(record) : null;
}

/** The customer themself, or an admin. */
function mayReadPrivateFields(ctx: Context, customerId: string): boolean {
  return ctx.provenCustomerIds.has(customerId) || (ctx.user?.roles.includes('ADMIN') ?? false);
}

export const customerQueries: QueryResolvers<Context> = {
  // shield: isAuthenticated
  me: (_parent, _args, ctx) => (ctx.user ? loadCustomer(ctx, ctx.user.id) : null),
  // shield: isAdmin
  customer: (_parent, { id }, ctx) => loadCustomer(ctx, id),
};

export const customerType: CustomerResolvers<Context> = {
  __resolveReference: (ref, ctx) => loadCustomer(ctx, ref.id),
  email: (parent, _args, ctx) => {
    if (!mayReadPrivateFields(ctx, parent.id)) throw forbidden("Only the customer themself or an admin may read a customer's email");
    if ('email' in parent && typeof parent.email === 'string') return parent.email;
    throw new Error('Customer.email resolved without the customer record');
  },
  roles: (parent, _args, ctx) => {
    if (!mayReadPrivateFields(ctx, parent.id)) throw forbidden("Only the customer themself or an admin may read a customer's roles");
    if ('roles' in parent && Array.isArray(parent.roles)) return parent.roles;
    throw new Error('Customer.roles resolved without the customer record');
  },
  emailVerified: (parent, _args, ctx) => {
    if (!mayReadPrivateFields(ctx, parent.id)) throw forbidden("Only the customer themself or an admin may read whether a customer's email is verified");
    if ('emailVerified' in parent && typeof parent.emailVerified === 'boolean') return parent.emailVerified;
    throw new Error('Customer.emailVerified resolved without the customer record');
  },
  emailVerifiedAt: (parent, _args, ctx) => {
    if (!mayReadPrivateFields(ctx, parent.id)) throw forbidden("Only the customer themself or an admin may read when a customer's email was verified");
    if ('emailVerified' in parent) return parent.emailVerifiedAt ?? null;
    throw new Error('Customer.emailVerifiedAt resolved without the customer record');
  },
};
