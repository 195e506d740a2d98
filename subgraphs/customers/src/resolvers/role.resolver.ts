import type { Result } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { CustomerRecord } from '../model/customer.model.ts';
import type { MutationResolvers, RoleChangePayload } from '../__generated__/resolvers-types.ts';
import { toCustomer } from './customer.mapper.ts';

function toPayload(result: Result<CustomerRecord>): RoleChangePayload {
  return result.ok ? { customer: toCustomer(result.value), userErrors: [] } : { customer: null, userErrors: result.errors };
}

// shield: isAdmin on both (so ctx.user is an admin here)
export const roleMutations: MutationResolvers<Context> = {
  grantRole: async (_parent, { customerId, role }, ctx) =>
    toPayload(await ctx.services.accounts.grantRole(customerId, role, ctx.user!, { requestId: ctx.requestId, traceparent: ctx.traceparent, logger: ctx.logger })),
  revokeRole: async (_parent, { customerId, role }, ctx) =>
    toPayload(await ctx.services.accounts.revokeRole(customerId, role, ctx.user!, { requestId: ctx.requestId, traceparent: ctx.traceparent, logger: ctx.logger })),
};
