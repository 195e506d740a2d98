import { toApiMoney } from '@commerce/platform';
import type { Cart } from '../__generated__/resolvers-types.ts';
import type { CartRecord } from '../domain/cart.ts';
import { priceCart } from '../domain/pricing.ts';
import type { CartDeps } from '../domain/deps.ts';

/** A stored cart → its GraphQL shape, priced with the read model's current prices. */
export function toCartView(cart: CartRecord, deps: CartDeps): Cart {
  const priced = priceCart(cart, deps.readModel, deps.currency);
  return {
    id: cart._id,
    lines: priced.lines.map((l) => ({
      id: l.line.id,
      quantity: l.line.quantity,
      variant: { __typename: 'ProductVariant', id: l.line.variantId },
      unitPrice: toApiMoney(l.unitPrice),
      lineTotal: toApiMoney(l.lineTotal),
    })),
    subtotal: toApiMoney(priced.subtotal),
    totalQuantity: priced.totalQuantity,
    checkedOut: cart.status === 'CHECKED_OUT',
  };
}
