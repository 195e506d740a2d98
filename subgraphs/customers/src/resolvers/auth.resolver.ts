import type { Context } from '../context.ts';
import type { AuthResult, RequestScope } from '../domain/index.ts';
import type { AuthPayload, MutationResolvers } from '../__generated__/resolvers-types.ts';
import { toCustomer } from './customer.mapper.ts';

function scopeOf(ctx: Context): RequestScope {
  return { requestId: ctx.requestId, traceparent: ctx.traceparent, logger: ctx.logger, clientIp: ctx.clientIp };
}

/** Domain result → AuthPayload; the authenticated customer may read its own private fields. */
function toPayload(result: AuthResult, ctx: Context): AuthPayload {
  if (!result.ok) return { accessToken: null, customer: null, userErrors: result.errors };
  ctx.provenCustomerIds.add(result.value.customer._id);
  return { accessToken: result.value.accessToken, customer: toCustomer(result.value.customer), userErrors: [] };
}

export const authMutations: MutationResolvers<Context> = {
  signUp: async (_parent, { input }, ctx) => toPayload(await ctx.services.accounts.signUp(input, scopeOf(ctx)), ctx),
  logIn: async (_parent, { email, password }, ctx) => toPayload(await ctx.services.accounts.logIn(email, password, scopeOf(ctx)), ctx),
};
