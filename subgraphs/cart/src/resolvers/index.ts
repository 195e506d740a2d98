import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Cart, cartMutations, cartQueries } from './cart.resolver.ts';

export const resolvers: Resolvers = {
  Query: cartQueries,
  Mutation: cartMutations,
  Cart,
};
