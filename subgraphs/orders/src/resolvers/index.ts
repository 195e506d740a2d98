import { GraphQLError } from 'graphql';
import { badUserInput, decodeCursor, encodeCursor, forbidden, isAgent, MAX_PAGE_SIZE, toApiMoney, type Identity } from '@commerce/platform';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';
import { cancelOrder } from '../domain/cancel-order.ts';
import { customerOrders, type OrdersCursor } from '../domain/customer-orders.ts';
import { refundedTotalOf, refundsOf } from '../domain/order.ts';
import { DependencyUnavailableError, placeOrder } from '../domain/place-order.ts';
import { viewOf, type OrderView } from '../model/order.model.ts';

const isOrdersCursor = (v: unknown): v is OrdersCursor => typeof (v as OrdersCursor)?.t === 'number' && typeof (v as OrdersCursor)?.id === 'string';
const ORDER_ID = /^ord_[0-9a-f]{25}$/;
const meta = (ctx: Context) => ({ requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });
// support agents read orders too: they handle the tickets about them
const mayRead = (user: Identity | null, view: OrderView) => !!user && (user.id === view.customerId || isAgent(user));

/**
 * The order if the caller may read it (its customer, a support agent or an admin), else null —
 * for `order(id)` and for entity references (`_entities`) alike, so no path through the router
 * (or to this subgraph directly) shows an order to anyone else.
 */
async function readableOrder(id: string, ctx: Context): Promise<OrderView | null> {
  const view = await ctx.loaders.order.load(id);
  return view && mayRead(ctx.user, view) ? view : null;
}

export const resolvers: Resolvers = {
  Query: {
    async order(_p, { id }, ctx) {
      if (!ORDER_ID.test(id)) throw badUserInput('Malformed order id', 'id');
      return readableOrder(id, ctx);
    },
  },
  Mutation: {
    async placeOrder(_p, { input }, ctx) {
      try {
        // the router's context of this request goes on to cart's internal route (callInternal)
        const r = await placeOrder(ctx.deps, ctx.user!, input, { ...meta(ctx), routerToken: ctx.routerToken });
        return r.ok ? { order: viewOf(r.value), userErrors: [] } : { order: null, userErrors: r.errors };
      } catch (err) {
        if (err instanceof DependencyUnavailableError) {
          ctx.logger.warn({ err }, 'placeOrder: a dependency is unavailable');
          throw new GraphQLError('Checkout is temporarily unavailable; try again', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
        }
        throw err;
      }
    },
    async cancelOrder(_p, { id }, ctx) {
      const r = await cancelOrder(ctx.deps, ctx.user!, id, meta(ctx));
      return r.ok ? { order: viewOf(r.value), userErrors: [] } : { order: null, userErrors: r.errors };
    },
  },
  Order: {
    __resolveReference: (ref, ctx) => readableOrder(ref.id, ctx),
    id: (o) => o._id,
    lines: (o) => o.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPrice: toApiMoney(l.unitPrice), lineTotal: toApiMoney({ amount: l.unitPrice.amount * l.quantity, currencyCode: l.unitPrice.currencyCode }) })),
    total: (o) => toApiMoney(o.total),
    refunds: (o) => refundsOf(o).map((r) => ({ id: r.id, amount: toApiMoney(r.amount), refundedAt: new Date(r.refundedAt).toISOString() })),
    refundedTotal: (o) => toApiMoney(refundedTotalOf(o)),
    createdAt: (o) => new Date(o.createdAt).toISOString(),
    updatedAt: (o) => new Date(o.updatedAt).toISOString(),
  },
  Customer: {
    __resolveReference: (ref) => ref,
    async orders(customer, args, ctx) {
      const user = ctx.user!;
      if (user.id !== customer.id && !isAgent(user)) throw forbidden("Only the customer, support agents and admins may read a customer's orders");
      const first = args.first ?? 10;
      if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
      const after = args.after != null ? decodeCursor(args.after, isOrdersCursor) : undefined;
      if (args.after != null && !after) throw badUserInput('Malformed cursor', 'after');
      const page = await customerOrders(ctx.deps.models.OrderView, customer.id, first, after);
      const edges = page.items.map((o) => ({ cursor: encodeCursor({ t: new Date(o.createdAt).getTime(), id: o._id }), node: o }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  },
};
