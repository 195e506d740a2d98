import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { reviewMutations } from './add-review.resolver.ts';
import { Product } from './products.resolver.ts';

export const resolvers: Resolvers = {
  Mutation: reviewMutations,
  Product,
};
