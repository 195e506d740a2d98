import { badUserInput, forbidden, newId, unauthenticated } from '@commerce/platform';
import type { Context } from '../context.ts';
import type { CustomerResolvers, ProductResolvers, QueryResolvers, RecommendedProductResolvers, ResolversTypes } from '../__generated__/resolvers-types.ts';
import { customerSubject, sessionSubject, type RecommendationList } from '../domain/recommender.ts';

/** the most items one list may ask for */
export const MAX_RECOMMENDATIONS = 50;

const size = (first: number | null | undefined): number => {
  const n = first ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RECOMMENDATIONS) throw badUserInput(`first must be between 1 and ${MAX_RECOMMENDATIONS}`, 'first');
  return n;
};

/** every list served is counted (slot, strategy) and gets an id of its own */
const serve = (ctx: Context, list: RecommendationList): ResolversTypes['RecommendationList'] => {
  ctx.deps.metrics.served(list.slot, list.strategy);
  return { slot: list.slot, strategy: list.strategy, recommendationId: newId('rec'), items: list.items };
};

/** Thin: every answer comes from the in-memory recommender (no database read per request). */
export const Query: QueryResolvers = {
  recommendedForSession(_p, args, ctx) {
    const first = size(args.first);
    const r = ctx.deps.recommender;
    // a signed-in caller's session history became theirs when it was linked: their own picks
    const own = ctx.user ? customerSubject(ctx.user.id) : null;
    const subject = own && r.model.hasSubject(own) && !r.model.hasSubject(sessionSubject(args.sessionId)) ? own : sessionSubject(args.sessionId);
    return serve(ctx, r.forSubject(subject, first, ctx.deps.rng));
  },
  trending(_p, args, ctx) {
    return serve(ctx, ctx.deps.recommender.trending(size(args.first), ctx.user?.id ?? null));
  },
  recommendationStats(_p, _a, ctx) {
    const s = ctx.deps.recommender.stats(Date.now());
    const snap = ctx.deps.lastSnapshot();
    return { ...s, model: { ...s.model, snapshotSequence: snap?.sequence ?? null, snapshotTakenAt: snap?.takenAt ?? null } };
  },
};

export const Product: ProductResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  recommendations(product, args, ctx) {
    return serve(ctx, ctx.deps.recommender.forProduct(product.id, size(args.first), ctx.user?.id ?? null));
  },
};

export const Customer: CustomerResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  recommended(customer, args, ctx) {
    const user = ctx.user;
    if (!user) throw unauthenticated(); // also enforced by permissions.ts
    if (user.id !== customer.id && !user.roles.includes('ADMIN')) throw forbidden("Only the customer and admins may read a customer's recommendations");
    return serve(ctx, ctx.deps.recommender.forSubject(customerSubject(customer.id), size(args.first), ctx.deps.rng));
  },
};

export const RecommendedProduct: RecommendedProductResolvers = {
  product: (item) => ({ id: item.productId }),
};
