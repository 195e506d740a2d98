import type { Context } from '../context.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { authMutations } from './auth.resolver.ts';
import { customerQueries, customerType } from './customer.resolver.ts';
import { DateTimeScalar } from './date-time.scalar.ts';
import { partnerMutations, partnerQueries } from './partner.resolver.ts';


/** The resolver map of the customers subgraph: thin, every rule lives in ../domain. */
export const resolvers: Resolvers<Context> = {
  DateTime: DateTimeScalar,
  Query: { ...customerQueries, ...partnerQueries },
  Mutation: { ...authMutations, ...partnerMutations },
  Customer: customerType,
};
