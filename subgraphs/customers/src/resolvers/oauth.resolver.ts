import { userError } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { PartnerClient } from '../oauth/index.ts';
import type { MutationResolvers, OAuthClient, PartnerResolvers } from '../__generated__/resolvers-types.ts';

const toOAuthClient = (c: PartnerClient): OAuthClient => ({ clientId: c.clientId, name: c.name, scopes: c.scopes, createdAt: c.createdAt.toISOString() });

// shield: isAdmin for the client operations, isAuthenticated for the log-outs
export const oauthMutations: MutationResolvers<Context> = {
  createOAuthClient: async (_parent, { partnerId, name, scopes }, ctx) => {
    if (!(await ctx.services.partners.getPartner(partnerId))) {
      return { client: null, clientSecret: null, userErrors: [userError('PARTNER_NOT_FOUND', 'No partner with this id', ['partnerId'])] };
    }
    const r = await ctx.services.oauth.createPartnerClient(partnerId, name, scopes);
    return r.ok ? { client: toOAuthClient(r.value.client), clientSecret: r.value.clientSecret, userErrors: [] } : { client: null, clientSecret: null, userErrors: r.errors };
  },
  deleteOAuthClient: async (_parent, { partnerId, clientId }, ctx) => ({ deleted: await ctx.services.oauth.deletePartnerClient(partnerId, clientId), userErrors: [] }),
  logOut: async (_parent, _args, ctx) => {
    const sessionId = ctx.user!.sessionId;
    // a token that names no session (issued before sessions existed) can only end with all the others
    if (!sessionId) await ctx.services.oauth.endAllSessions(ctx.user!.id);
    else await ctx.services.oauth.endSession(sessionId);
    ctx.logger.info({ customerId: ctx.user!.id }, 'logged out');
    return { ok: true, userErrors: [] };
  },
  logOutEverywhere: async (_parent, _args, ctx) => {
    await ctx.services.oauth.endAllSessions(ctx.user!.id);
    ctx.logger.info({ customerId: ctx.user!.id }, 'logged out everywhere');
    return { ok: true, userErrors: [] };
  },
};

export const partnerType: PartnerResolvers<Context> = {
  oauthClients: async (partner, _args, ctx) => (await ctx.services.oauth.partnerClients(partner.id)).map(toOAuthClient),
};
