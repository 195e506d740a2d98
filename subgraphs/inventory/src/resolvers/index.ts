import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { stockMutations, stockQueries } from './stock.resolver.ts';
import { ProductVariant } from './variant.resolver.ts';

export const resolvers: Resolvers = {
  Query: stockQueries,
  Mutation: stockMutations,
  ProductVariant,
};
