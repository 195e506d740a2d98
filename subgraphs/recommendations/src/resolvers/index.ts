import { DateTimeScalar } from '@commerce/platform';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Customer, Product, Query, RecommendedProduct } from './recommendations.resolver.ts';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Product, Customer, RecommendedProduct };
