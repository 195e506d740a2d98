import type { Money } from '@commerce/platform';
import type { CartLineRecord, CartRecord } from './cart.ts';
import type { CartReadModel } from './read-model.ts';

/** A cart line at current prices (minor units). */
export interface PricedLine {
  line: CartLineRecord;
  productId: string;
  sku: string;
  /** product title (the SKU while the read model has not seen the product yet) */
  title: string;
  variantTitle: string | null;
  unitPrice: Money;
  lineTotal: Money;
}

export interface PricedCart {
  cart: CartRecord;
  lines: PricedLine[];
  subtotal: Money;
  totalQuantity: number;
}

/**
 * Prices a cart with the read model's CURRENT prices, so a price change reaches open carts as soon
 * as its event arrives. A line whose variant the read model does not know (or knows in another
 * currency) keeps the price it was added at.
 */
export function priceCart(cart: CartRecord, readModel: CartReadModel, currency: string): PricedCart {
  let subtotal = 0;
  let totalQuantity = 0;
  const lines = cart.lines.map((line): PricedLine => {
    const facts = readModel.variant(line.variantId);
    const unit = facts && facts.price.currencyCode === currency ? facts.price.amount : line.priceAtAdd.amount;
    const total = unit * line.quantity;
    subtotal += total;
    totalQuantity += line.quantity;
    return {
      line,
      productId: facts?.productId ?? line.productId,
      sku: facts?.sku ?? line.sku,
      title: facts?.title ?? line.sku,
      variantTitle: facts?.variantTitle ?? null,
      unitPrice: { amount: unit, currencyCode: currency },
      lineTotal: { amount: total, currencyCode: currency },
    };
  });
  return { cart, lines, subtotal: { amount: subtotal, currencyCode: currency }, totalQuantity };
}
