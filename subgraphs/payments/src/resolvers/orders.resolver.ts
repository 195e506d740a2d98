import type { OrderResolvers, Payment } from '../__generated__/resolvers-types.ts';
import { readablePayment } from './payment.resolver.ts';

/** The Order entity, extended with its payment (orders owns everything else about an order). */
export const Order: OrderResolvers = {
  // nothing to look up: the payment is loaded (batched) only when asked for
  __resolveReference: (ref) => ({ id: ref.id }),

  payment(order, _args, ctx): Promise<Payment | null> {
    return readablePayment(ctx, order.id);
  },
};
