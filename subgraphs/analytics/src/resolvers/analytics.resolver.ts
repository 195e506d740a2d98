import { badUserInput, unauthenticated, type Result } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.ts';
import type { TopKind } from '../domain/counts.ts';
import { forgetActivity } from '../domain/forget-activity.ts';
import { analyticsFunnel, analyticsSeries, topProducts, trendingProducts } from '../domain/queries.ts';
import { trackEvents } from '../domain/track-events.ts';

const meta = (ctx: Context) => ({ requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });
const ms = (d: Date | string) => new Date(d).getTime();

/** A query's bad argument (a domain userError) as BAD_USER_INPUT. */
function value<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  const e = r.errors[0]!;
  throw badUserInput(e.message, e.field?.join('.'));
}

const TOP_KIND: Record<'VIEWS' | 'ADD_TO_CARTS' | 'PURCHASES', TopKind> = { VIEWS: 'v', ADD_TO_CARTS: 'c', PURCHASES: 'p' };

/** Thin: the domain validates and decides. Queries are ADMIN only (permissions.ts). */
export const Query: QueryResolvers = {
  async analyticsSeries(_p, args, ctx) {
    return value(await analyticsSeries(ctx.deps, { metric: args.metric, granularity: args.granularity, from: ms(args.from), to: ms(args.to), currencyCode: args.currencyCode ?? null }));
  },
  async analyticsFunnel(_p, args, ctx) {
    return value(await analyticsFunnel(ctx.deps, ms(args.from), ms(args.to)));
  },
  async topProducts(_p, args, ctx) {
    const rows = value(await topProducts(ctx.deps, TOP_KIND[args.by], ms(args.from), ms(args.to), args.first));
    return rows.map((r) => ({ productId: r.id, product: { id: r.id }, count: Math.round(r.n) }));
  },
  async trendingProducts(_p, args, ctx) {
    const rows = value(await trendingProducts(ctx.deps, args.first));
    return rows.map((r) => ({ ...r, product: { id: r.productId } }));
  },
};

export const Mutation: MutationResolvers = {
  async trackEvents(_p, { events }, ctx) {
    return trackEvents(ctx.deps, ctx.user?.id ?? null, events, meta(ctx));
  },
  async forgetMyActivity(_p, _a, ctx) {
    if (!ctx.user) throw unauthenticated(); // also enforced by permissions.ts
    await forgetActivity(ctx.deps, ctx.user.id, meta(ctx));
    return { forgotten: true, userErrors: [] };
  },
};
