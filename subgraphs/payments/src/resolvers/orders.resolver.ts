import { forbidden, toApiMoney } from '@commerce/platform';
import { canReadPayment, isVisible } from '../domain/payment.ts';
import type { OrderResolvers, Payment } from '../__generated__/resolvers-types.ts';

/** The Order entity, extended with its payment (orders owns everything else about an order). */
export const Order: OrderResolvers = {
  // nothing to look up: the payment is loaded (batched) only when asked for
  __resolveReference: (ref) => ({ id: ref.id }),

  async payment(order, _args, ctx): Promise<Payment | null> {
    const record = await ctx.loaders.paymentByOrder.load(order.id);
    if (!record || !isVisible(record)) return null;
    if (!canReadPayment(ctx.user, record)) throw forbidden("Only the order's customer and admins may see its payment");
    return {
      status: record.status,
      brand: record.brand,
      last4: record.last4,
      amount: record.amount ? toApiMoney(record.amount) : null,
      declineReason: record.declineReason,
    };
  },
};
