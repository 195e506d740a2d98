import { badUserInput, decodeCursor, encodeCursor, isId, MAX_PAGE_SIZE } from '@commerce/platform';
import { ratingOf, RECENT_REVIEWS, type ReviewRecord } from '../domain/review.ts';
import type { Product as ApiProduct, ProductResolvers, Review as ApiReview } from '../__generated__/resolvers-types.ts';

interface Cursor {
  id: string;
}
const isCursor = (v: unknown): v is Cursor => !!v && typeof v === 'object' && typeof (v as Cursor).id === 'string' && isId('rev', (v as Cursor).id);

/** A stored review as the API's Review (author and product are references resolved elsewhere). */
export function toApiReview(r: ReviewRecord): ApiReview {
  return {
    id: r._id,
    rating: r.rating,
    title: r.title,
    body: r.body ?? null,
    author: { id: r.customerId },
    // only the key: Product.rating / Product.reviews load the rest
    product: { id: r.productId } as ApiProduct,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export const Product: ProductResolvers = {
  // Any product id has a rating (0 and 0 until reviewed): no lookup needed to resolve the reference.
  __resolveReference(ref) {
    return ref;
  },

  async rating(p, _a, ctx) {
    return ratingOf(await ctx.loaders.rating.load(p.id));
  },

  async reviews(p, args, ctx) {
    const first = args.first ?? 10;
    if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
    let afterId: string | null = null;
    if (args.after != null) {
      const c = decodeCursor(args.after, isCursor);
      if (!c) throw badUserInput('Malformed cursor', 'after');
      afterId = c.id;
    }
    const agg = await ctx.loaders.rating.load(p.id);
    const totalCount = agg?.count ?? 0;
    let items: ReviewRecord[];
    let hasNextPage: boolean;
    if (afterId === null && first <= RECENT_REVIEWS) {
      // the first page comes with the rating aggregate (same batched query)
      items = (agg?.recent ?? []).slice(0, first);
      hasNextPage = totalCount > items.length;
    } else {
      const page = await ctx.loaders.reviewPage.load({ productId: p.id, limit: first + 1, afterId });
      items = page.slice(0, first);
      hasNextPage = page.length > first;
    }
    const edges = items.map((r) => ({ cursor: encodeCursor({ id: r._id }), node: toApiReview(r) }));
    return {
      totalCount,
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: afterId !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  },
};
