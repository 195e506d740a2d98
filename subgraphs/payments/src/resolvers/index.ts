import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Order } from './orders.resolver.ts';
import { Payment } from './payment.resolver.ts';

export const resolvers: Resolvers = {
  Order,
  Payment,
};
