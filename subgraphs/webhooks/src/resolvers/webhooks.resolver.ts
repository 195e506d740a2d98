import { badUserInput, isId, MAX_PAGE_SIZE, type UserError } from '@commerce/platform';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.ts';
import type { MutationResolvers, QueryResolvers, WebhookDeliveryResolvers } from '../__generated__/resolvers-types.ts';
import { deliveryLog, replayDeliveries } from '../domain/delivery-log.ts';
import { PUBLIC_EVENT_TYPES, SCHEMA_VERSION } from '../domain/event-types.ts';
import {
  createSubscription,
  deleteSubscription,
  enableSubscription,
  readSubscription,
  rotateSecret,
  updateSubscription,
  type Caller,
  type SubscriptionRecord,
} from '../domain/subscription.ts';
import type { DeliveryStatus } from '../domain/delivery.ts';
import { deliveryCursor, pageInfo, readDeliveryCursor, readSubscriptionCursor, subscriptionCursor, toApiDelivery, toApiSubscription } from './webhook.mapper.ts';

/** Who calls: the partner of the router context, and whether the user is an ADMIN (permissions.ts let only these in). */
const callerOf = (ctx: Context): Caller => ({ partnerId: ctx.partner?.id ?? null, admin: !!ctx.user?.roles.includes('ADMIN') });

/** The partner whose subscriptions a list or a create is about: the caller's own, or the one an ADMIN names. */
function ownerOf(ctx: Context, partnerId: string | null | undefined): string {
  const caller = callerOf(ctx);
  if (partnerId) {
    if (!isId('ptnr', partnerId)) throw badUserInput('partnerId is not a partner id (ptnr_…)', 'partnerId');
    if (caller.admin || caller.partnerId === partnerId) return partnerId;
    throw new GraphQLError("Only an ADMIN may name another partner's subscriptions", { extensions: { code: 'FORBIDDEN' } });
  }
  if (caller.partnerId) return caller.partnerId;
  throw badUserInput('An ADMIN names the partner (partnerId)', 'partnerId');
}

const pageSize = (first: number | null | undefined) => {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return n;
};

const subPayload = (r: { ok: true; value: SubscriptionRecord } | { ok: false; errors: UserError[] }) =>
  r.ok ? { subscription: toApiSubscription(r.value), userErrors: [] } : { subscription: null, userErrors: r.errors };

/** Thin: the domain validates and decides; userErrors carry the expected failures. */
export const Query: QueryResolvers<Context> = {
  webhookEventTypes: () => Object.entries(PUBLIC_EVENT_TYPES).map(([name, description]) => ({ name, description, schemaVersion: SCHEMA_VERSION })),
  async webhookSubscriptions(_p, args, ctx) {
    const partnerId = ownerOf(ctx, args.partnerId);
    const first = pageSize(args.first);
    const after = readSubscriptionCursor(args.after);
    if (after === 'invalid') throw badUserInput('after is not a cursor of this list', 'after');
    const all = (await ctx.deps.subscriptions.byPartner(partnerId))
      .filter((s) => s.status !== 'DELETED')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? 1 : -1))
      .filter((s) => !after || s.createdAt.getTime() < after.c || (s.createdAt.getTime() === after.c && s._id < after.id));
    const nodes = all.slice(0, first);
    return { nodes: nodes.map(toApiSubscription), pageInfo: pageInfo(nodes, subscriptionCursor, all.length > first, !!after) };
  },
  async webhookSubscription(_p, { id }, ctx) {
    const s = await readSubscription(ctx.deps, callerOf(ctx), id);
    return s ? toApiSubscription(s) : null;
  },
  async webhookDeliveries(_p, args, ctx) {
    const sub = await readSubscription(ctx.deps, callerOf(ctx), args.subscriptionId);
    if (!sub) throw new GraphQLError('No webhook subscription with this id', { extensions: { code: 'NOT_FOUND', field: 'subscriptionId' } });
    const first = pageSize(args.first);
    const after = readDeliveryCursor(args.after);
    if (after === 'invalid') throw badUserInput('after is not a cursor of this list', 'after');
    const { rows, hasNextPage } = await deliveryLog(ctx.deps, sub, { first, ...(after ? { after } : {}), ...(args.status ? { status: args.status as DeliveryStatus } : {}) });
    return { nodes: rows.map(toApiDelivery), pageInfo: pageInfo(rows, deliveryCursor, hasNextPage, !!after) };
  },
};

export const Mutation: MutationResolvers<Context> = {
  async createWebhookSubscription(_p, { input }, ctx) {
    const partnerId = ownerOf(ctx, input.partnerId);
    const r = await createSubscription(ctx.deps, partnerId, { url: input.url, eventTypes: input.eventTypes, description: input.description ?? null });
    return r.ok ? { subscription: toApiSubscription(r.value.subscription), secret: r.value.secret, userErrors: [] } : { subscription: null, secret: null, userErrors: r.errors };
  },
  async updateWebhookSubscription(_p, { id, input }, ctx) {
    return subPayload(
      await updateSubscription(ctx.deps, callerOf(ctx), id, {
        ...(input.url != null ? { url: input.url } : {}),
        ...(input.eventTypes != null ? { eventTypes: input.eventTypes } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.status != null ? { status: input.status } : {}),
      }),
    );
  },
  async deleteWebhookSubscription(_p, { id }, ctx) {
    const r = await deleteSubscription(ctx.deps, callerOf(ctx), id);
    return r.ok ? { deletedId: id, userErrors: [] } : { deletedId: null, userErrors: r.errors };
  },
  async rotateWebhookSecret(_p, { id }, ctx) {
    const r = await rotateSecret(ctx.deps, callerOf(ctx), id);
    return r.ok ? { subscription: toApiSubscription(r.value.subscription), secret: r.value.secret, userErrors: [] } : { subscription: null, secret: null, userErrors: r.errors };
  },
  async enableWebhookSubscription(_p, { id }, ctx) {
    return subPayload(await enableSubscription(ctx.deps, callerOf(ctx), id));
  },
  async replayWebhookDeliveries(_p, args, ctx) {
    const sub = await readSubscription(ctx.deps, callerOf(ctx), args.subscriptionId);
    if (!sub) return { replayed: 0, userErrors: [{ code: 'NOT_FOUND', message: 'no webhook subscription with this id', field: ['subscriptionId'] }] };
    const r = await replayDeliveries(ctx.deps, sub, new Date(args.from), new Date(args.to));
    return r.ok ? { replayed: r.value.replayed, userErrors: [] } : { replayed: 0, userErrors: r.errors };
  },
};

export const WebhookDelivery: WebhookDeliveryResolvers<Context> = {
  async attemptLog(d, _a, ctx) {
    const rows = await ctx.loaders.attempts.load(d.id);
    return rows.map((a) => ({ at: a.at, succeeded: a.succeeded, responseStatus: a.responseStatus, latencyMs: a.latencyMs, error: a.error }));
  },
};
