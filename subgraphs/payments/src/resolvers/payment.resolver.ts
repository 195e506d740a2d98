import { forbidden, toApiMoney, unauthenticated } from '@commerce/platform';
import type { Context } from '../context.ts';
import { apiStatusOf, canReadPayment, isVisible, orderIdOfPayment, refundedAmount, refundsOf, type PaymentRecord, type PaymentStatus } from '../domain/payment.ts';
import type { Payment as ApiPayment, PaymentResolvers } from '../__generated__/resolvers-types.ts';

/** A payment as the API shows it (status derived: a partly refunded capture is PARTIALLY_REFUNDED). */
export function toApiPayment(record: PaymentRecord & { status: PaymentStatus }): ApiPayment {
  return {
    id: record._id,
    status: apiStatusOf(record),
    brand: record.brand,
    last4: record.last4,
    amount: record.amount ? toApiMoney(record.amount) : null,
    declineReason: record.declineReason,
    refundedAmount: record.amount ? toApiMoney({ amount: refundedAmount(record), currencyCode: record.amount.currencyCode }) : null,
    refunds: refundsOf(record).map((r) => ({
      id: r.id,
      amount: toApiMoney(r.amount),
      status: r.status,
      rejectionReason: r.rejectionReason,
      createdAt: new Date(r.requestedAt).toISOString(),
    })),
  };
}

/**
 * An order's payment for the caller: null when there is none (unknown, or the order was
 * cancelled before paying); UNAUTHENTICATED for an anonymous caller and FORBIDDEN for anyone
 * canReadPayment does not let through. One DataLoader batch for every payment of a request,
 * whichever way it was reached.
 */
export async function readablePayment(ctx: Context, orderId: string): Promise<ApiPayment | null> {
  // before the lookup: an anonymous caller learns nothing, not even whether the payment exists
  if (!ctx.user) throw unauthenticated();
  const record = await ctx.loaders.paymentByOrder.load(orderId);
  if (!record || !isVisible(record)) return null;
  if (!canReadPayment(ctx.user, record)) throw forbidden("Only the order's customer, support agents and admins may see its payment");
  return toApiPayment(record);
}

/** The Payment entity: other subgraphs (support) reference it by id. */
export const Payment: PaymentResolvers = {
  __resolveReference: (ref, ctx) => {
    const orderId = orderIdOfPayment(ref.id);
    return orderId ? readablePayment(ctx, orderId) : null;
  },
};
