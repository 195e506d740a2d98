import { allow, forbidden, rule, unauthenticated, type IRules } from '@commerce/platform';
import type { Context } from './context.ts';

/**
 * Partner operations: the calling partner (the router's `ptn` claim: an API key or a
 * client-credentials token) or an ADMIN. Which subscriptions a caller may touch is decided by
 * the domain (canManage): a partner only its own.
 */
const isPartnerOrAdmin = rule({ cache: 'contextual' })((_p, _a, ctx: Context) => {
  if (ctx.partner) return true;
  if (!ctx.user) return unauthenticated('A partner API key or token, or an ADMIN, is required');
  return ctx.user.roles.includes('ADMIN') ? true : forbidden('Webhooks are managed by partners and admins');
});

/** Who may do what. The fallback is deny: a new type or field is closed until listed here. */
export const permissions: IRules = {
  Query: { webhookEventTypes: allow, webhookSubscriptions: isPartnerOrAdmin, webhookSubscription: isPartnerOrAdmin, webhookDeliveries: isPartnerOrAdmin },
  Mutation: {
    createWebhookSubscription: isPartnerOrAdmin,
    updateWebhookSubscription: isPartnerOrAdmin,
    deleteWebhookSubscription: isPartnerOrAdmin,
    rotateWebhookSecret: isPartnerOrAdmin,
    enableWebhookSubscription: isPartnerOrAdmin,
    replayWebhookDeliveries: isPartnerOrAdmin,
  },
  WebhookEventType: allow,
  WebhookSubscription: allow,
  WebhookSubscriptionConnection: allow,
  WebhookDelivery: allow,
  WebhookDeliveryAttempt: allow,
  WebhookDeliveryConnection: allow,
  WebhookSecretPayload: allow,
  WebhookSubscriptionPayload: allow,
  DeleteWebhookSubscriptionPayload: allow,
  ReplayWebhookDeliveriesPayload: allow,
  PageInfo: allow,
  UserError: allow,
};
