import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import { createCategory } from '../domain/create-category.ts';
import { createProduct } from '../domain/create-product.ts';
import { setProductStatus } from '../domain/set-product-status.ts';
import { setVariantPrice } from '../domain/set-variant-price.ts';
import type { Context } from '../context.ts';

const meta = (ctx: Context) => ({ requestId: ctx.requestId, ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}) });

/** Admin mutations: thin — the domain validates and decides; userErrors carry expected failures. */
export const adminMutations: MutationResolvers = {
  async createProduct(_p, { input }, ctx) {
    const r = await createProduct(ctx.deps, input, meta(ctx));
    if (!r.ok) return { product: null, userErrors: r.errors };
    return { product: ctx.deps.index.getProduct(r.value.id) ?? null, userErrors: [] };
  },
  async setVariantPrice(_p, { variantId, price }, ctx) {
    const r = await setVariantPrice(ctx.deps, variantId, price, meta(ctx));
    if (!r.ok) return { variant: null, userErrors: r.errors };
    const product = ctx.deps.index.getProduct(r.value.product.id);
    const variant = product?.variants.find((v) => v.id === variantId);
    return { variant: product && variant ? { product, variant } : null, userErrors: [] };
  },
  async setProductStatus(_p, { productId, status }, ctx) {
    const r = await setProductStatus(ctx.deps, productId, status, meta(ctx));
    if (!r.ok) return { product: null, userErrors: r.errors };
    return { product: ctx.deps.index.getProduct(productId) ?? null, userErrors: [] };
  },
  async createCategory(_p, { name, parentId }, ctx) {
    const r = await createCategory(ctx.deps, name, parentId ?? null, meta(ctx));
    if (!r.ok) return { category: null, userErrors: r.errors };
    return { category: r.value, userErrors: [] };
  },
};
