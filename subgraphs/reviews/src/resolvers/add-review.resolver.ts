import { unauthenticated } from '@commerce/platform';
import { addReview } from '../domain/add-review.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import { toApiReview } from './products.resolver.ts';

/** Thin: the domain validates and decides; userErrors carry the expected failures. */
export const reviewMutations: MutationResolvers = {
  async addReview(_p, { input }, ctx) {
    if (!ctx.user) throw unauthenticated(); // also enforced by permissions.ts
    const r = await addReview(ctx.deps, ctx.user.id, input, { requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });
    if (!r.ok) return { review: null, userErrors: r.errors };
    return { review: toApiReview(r.value), userErrors: [] };
  },
};
