import type { Identity, Money } from '@commerce/platform';

/** The cart aggregate as stored in `carts` (changed only through the outbox committer). */
export interface CartLineRecord {
  /** line_… */
  id: string;
  variantId: string;
  productId: string;
  sku: string;
  quantity: number;
  /** the unit price when the line was created: a fallback only, current prices come from the read model */
  priceAtAdd: Money;
  addedAt: Date;
}

export interface CartRecord {
  /** cart_… */
  _id: string;
  /** the owner; null for an anonymous cart */
  customerId: string | null;
  lines: CartLineRecord[];
  status: 'OPEN' | 'CHECKED_OUT';
  /** the order placed from this cart, once checked out */
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const CART_LIMITS = {
  /** distinct variants per cart */
  lines: 100,
  /** units of one variant per cart */
  lineQuantity: 999,
} as const;

/**
 * Who may see and change a cart: anyone who knows the id of an anonymous cart; only its owner
 * for a customer's cart (admins included: a cart is private). Everyone else is told it does not
 * exist, so a cart id reveals nothing about its owner.
 */
export function canAccess(cart: Pick<CartRecord, 'customerId'>, user: Identity | null): boolean {
  return cart.customerId === null || cart.customerId === user?.id;
}

export function newCart(id: string, user: Identity | null, now = new Date()): CartRecord {
  return { _id: id, customerId: user?.id ?? null, lines: [], status: 'OPEN', orderId: null, createdAt: now, updatedAt: now, version: 1 };
}
