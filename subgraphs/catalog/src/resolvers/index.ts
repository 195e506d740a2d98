import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { adminMutations } from './admin.resolver.ts';
import { Category, categoryQueries } from './categories.resolver.ts';
import { Product, productQueries, ProductVariant } from './products.resolver.ts';

export const resolvers: Resolvers = {
  Query: { ...productQueries, ...categoryQueries },
  Mutation: adminMutations,
  Product,
  ProductVariant,
  Category,
};
