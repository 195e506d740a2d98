import { isId, type InternalRoute, type InternalRouteHandler } from '@commerce/platform';
import { canAccess } from '../domain/cart.ts';
import type { CartDeps } from '../domain/deps.ts';
import { priceCart } from '../domain/pricing.ts';

export const INTERNAL_CART_PATH = '/internal/cart';

/**
 * `GET /internal/cart?id=<cartId>` for the orders service (not in the supergraph). The caller
 * forwards the router context of the placeOrder request it serves: the server answers 401 unless
 * the router signed it for orders (`aud`, the route's only caller) and it has not expired, so the
 * identity is the one the router verified. 200 with the lines at CURRENT prices (amounts in
 * minor units), 404 when unknown, 403 when the cart belongs to another customer than the
 * context's user (or the context is anonymous and the cart has an owner).
 */
export function internalCartRoute(deps: CartDeps): InternalRoute {
  const handler: InternalRouteHandler = async (ctx, url) => {
    const id = url.searchParams.get('id') ?? '';
    if (!isId('cart', id)) return { status: 404, body: { error: 'CART_NOT_FOUND' } };
    const cart = await deps.carts.findOne({ _id: id });
    if (!cart) return { status: 404, body: { error: 'CART_NOT_FOUND' } };
    if (!canAccess(cart, ctx.user)) return { status: 403, body: { error: 'FORBIDDEN' } };
    const priced = priceCart(cart, deps.readModel, deps.currency);
    return {
      status: 200,
      body: {
        id: cart._id,
        customerId: cart.customerId,
        version: cart.version,
        checkedOut: cart.status === 'CHECKED_OUT',
        orderId: cart.orderId,
        currencyCode: deps.currency,
        lines: priced.lines.map((l) => ({
          lineId: l.line.id,
          productId: l.productId,
          variantId: l.line.variantId,
          sku: l.sku,
          title: l.title,
          variantTitle: l.variantTitle,
          quantity: l.line.quantity,
          unitPrice: l.unitPrice,
          lineTotal: l.lineTotal,
        })),
        subtotal: priced.subtotal,
      },
    };
  };
  return { callers: ['orders'], handler };
}
