import { DateTimeScalar } from '@commerce/platform';
import { Customer, Mutation, Order, Payment, Query, Ticket } from './tickets.resolver.ts';

import type { Resolvers } from '../__generated__/resolvers-types.ts';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Order, Payment, Customer, Ticket };
