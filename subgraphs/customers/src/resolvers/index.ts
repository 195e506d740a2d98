import type { Context } from '../context.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { authMutations } from './auth.resolver.ts';
import { customerQueries, customerType } from './customer.resolver.ts';
import { DateTimeScalar } from '@commerce/platform';
import { partnerMutations, partnerQueries } from './partner.resolver.ts';
import { roleMutations } from './role.resolver.ts';
import { oauthMutations, partnerType } from './oauth.resolver.ts';


/** The resolver map of the customers subgraph: thin, every rule lives in ../domain. */
export const resolvers: Resolvers<Context> = {
  DateTime: DateTimeScalar,
  Query: { ...customerQueries, ...partnerQueries },
  Mutation: { ...authMutations, ...partnerMutations, ...roleMutations, ...oauthMutations },
  Customer: customerType,
  Partner: partnerType,
};
