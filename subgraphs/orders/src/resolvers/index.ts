import { badUserInput, decodeCursor, encodeCursor, forbidden, MAX_PAGE_SIZE, toApiMoney } from '@commerce/platform';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { customerOrders, type OrdersCursor } from '../domain/customer-orders.ts';

const isOrdersCursor = (v: unknown): v is OrdersCursor => typeof (v as OrdersCursor)?.t === 'number' && typeof (v as OrdersCursor)?.id === 'string';

export const resolvers: Resolvers = {
  Customer: {
    __resolveReference: (ref) => ref,
    async orders(customer, args, ctx) {
      const user = ctx.user!;
      if (user.id !== customer.id && !user.roles.includes('ADMIN')) throw forbidden("Only the customer and admins may read a customer's orders");
      const first = args.first ?? 10;
      if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
      const after = args.after != null ? decodeCursor(args.after, isOrdersCursor) : undefined;
      if (args.after != null && !after) throw badUserInput('Malformed cursor', 'after');
      const page = await customerOrders(ctx.models.OrderSummary, customer.id, first, after);
      const edges = page.items.map((o) => ({
        cursor: encodeCursor({ t: new Date(o.createdAt).getTime(), id: o._id }),
        node: { id: o._id, status: o.status, total: toApiMoney(o.total), createdAt: new Date(o.createdAt).toISOString() },
      }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  },
};
