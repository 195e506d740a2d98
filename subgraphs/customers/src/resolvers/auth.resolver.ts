import type { Context } from '../context.ts';
import type { Result } from '@commerce/platform';
import type { AuthResult, CodeRequested, RequestScope } from '../domain/index.ts';
import type { CustomerRecord } from '../model/customer.model.ts';
import type { AuthPayload, CodeRequestPayload, MutationResolvers, VerifyEmailPayload } from '../__generated__/resolvers-types.ts';
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

function toCodeRequestPayload(result: Result<CodeRequested>): CodeRequestPayload {
  return result.ok ? { accepted: true, expiresInSeconds: result.value.expiresInSeconds, userErrors: [] } : { accepted: false, expiresInSeconds: 0, userErrors: result.errors };
}

function toVerifyEmailPayload(result: Result<CustomerRecord>, ctx: Context): VerifyEmailPayload {
  if (!result.ok) return { customer: null, userErrors: result.errors };
  ctx.provenCustomerIds.add(result.value._id);
  return { customer: toCustomer(result.value), userErrors: [] };
}

export const authMutations: MutationResolvers<Context> = {
  signUp: async (_parent, { input }, ctx) => toPayload(await ctx.services.accounts.signUp(input, scopeOf(ctx)), ctx),
  logIn: async (_parent, { email, password }, ctx) => toPayload(await ctx.services.accounts.logIn(email, password, scopeOf(ctx)), ctx),
  // shield: isAuthenticated (ctx.user is set) on changePassword, requestEmailVerification, verifyEmail
  changePassword: async (_parent, { currentPassword, newPassword }, ctx) =>
    toPayload(await ctx.services.accounts.changePassword(ctx.user!.id, currentPassword, newPassword, scopeOf(ctx)), ctx),
  requestPasswordReset: async (_parent, { email }, ctx) => toCodeRequestPayload(await ctx.services.accounts.requestPasswordReset(email, scopeOf(ctx))),
  resetPassword: async (_parent, { email, code, newPassword }, ctx) => toPayload(await ctx.services.accounts.resetPassword(email, code, newPassword, scopeOf(ctx)), ctx),
  requestEmailVerification: async (_parent, _args, ctx) => toCodeRequestPayload(await ctx.services.accounts.requestEmailVerification(ctx.user!.id, scopeOf(ctx))),
  verifyEmail: async (_parent, { code }, ctx) => toVerifyEmailPayload(await ctx.services.accounts.verifyEmail(ctx.user!.id, code, scopeOf(ctx)), ctx),
};
