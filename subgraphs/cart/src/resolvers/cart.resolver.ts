import { isId } from '@commerce/platform';
import type { CartResolvers, MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types.ts';
import { canAccess } from '../domain/cart.ts';
import { addToCart, removeCartLine, updateCartLine, type CartChangeResult } from '../domain/change-cart.ts';
import { createCart } from '../domain/create-cart.ts';
import type { Context } from '../context.ts';
import { toCartView } from './cart.mapper.ts';

/** A cart the caller may see, by id; null when malformed, unknown or someone else's. */
async function visibleCart(id: string, ctx: Context) {
  if (!isId('cart', id)) return null;
  const cart = await ctx.loaders.cart.load(id);
  return cart && canAccess(cart, ctx.user) ? toCartView(cart, ctx.deps) : null;
}

const payload = (r: CartChangeResult, ctx: Context) => ({ cart: r.cart ? toCartView(r.cart, ctx.deps) : null, userErrors: r.userErrors });

export const cartQueries: QueryResolvers = {
  cart: (_p, { id }, ctx) => visibleCart(id, ctx),
};

export const cartMutations: MutationResolvers = {
  async createCart(_p, _a, ctx) {
    return toCartView(await createCart(ctx.deps, ctx.user), ctx.deps);
  },
  async addToCart(_p, args, ctx) {
    return payload(await addToCart(ctx.deps, ctx.user, args, { requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) }), ctx);
  },
  async updateCartLine(_p, args, ctx) {
    return payload(await updateCartLine(ctx.deps, ctx.user, args), ctx);
  },
  async removeCartLine(_p, args, ctx) {
    return payload(await removeCartLine(ctx.deps, ctx.user, args), ctx);
  },
};

export const Cart: CartResolvers = {
  __resolveReference: (ref, ctx) => visibleCart(ref.id, ctx),
};
