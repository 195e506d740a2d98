import type { ProductVariantResolvers } from '../__generated__/resolvers-types.ts';

/**
 * The catalog's variant, extended with its stock. `_entities` hands over a batch of references;
 * each loads through the per-request DataLoader, so N variants cost one query on stock_levels.
 */
export const ProductVariant: ProductVariantResolvers = {
  async __resolveReference(ref, ctx) {
    return { id: ref.id, availability: await ctx.loaders.availability.load(ref.id) };
  },
};
