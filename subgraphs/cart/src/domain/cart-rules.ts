import { userError, type UserError } from '@commerce/platform';
import { CART_LIMITS, type CartLineRecord, type CartRecord } from './cart.ts';
import type { VariantFacts } from './read-model.ts';

/**
 * The cart's rules as pure functions of the current state: each returns the next state (version
 * + 1), `null` when there is nothing to change, or the user errors that explain why not. The
 * use cases run them inside the committer's read-decide-commit loop, so a rule is always decided
 * on the newest committed cart.
 */
export type Decision = { ok: true; next: CartRecord | null } | { ok: false; errors: UserError[] };

const refuse = (...errors: UserError[]): Decision => ({ ok: false, errors });
const change = (next: CartRecord | null): Decision => ({ ok: true, next });

export const errors = {
  cartNotFound: () => userError('CART_NOT_FOUND', 'Cart not found', ['cartId']),
  checkedOut: () => userError('CART_CHECKED_OUT', 'An order was placed from this cart; it can no longer be changed', ['cartId']),
  lineNotFound: () => userError('LINE_NOT_FOUND', 'Cart line not found', ['lineId']),
  variantNotFound: () => userError('VARIANT_NOT_FOUND', 'Variant not found', ['variantId']),
  invalidQuantity: (message: string) => userError('INVALID_QUANTITY', message, ['quantity']),
  insufficientStock: (available: number) =>
    userError('INSUFFICIENT_STOCK', available > 0 ? `Only ${available} available` : 'Out of stock', ['quantity']),
  tooManyLines: () => userError('TOO_MANY_LINES', `A cart holds at most ${CART_LIMITS.lines} different variants`, ['variantId']),
};

/** addToCart's quantity: at least 1, at most the per-line limit. */
export function checkAddQuantity(quantity: number): UserError | undefined {
  if (!Number.isInteger(quantity) || quantity < 1) return errors.invalidQuantity('Quantity must be at least 1');
  if (quantity > CART_LIMITS.lineQuantity) return errors.invalidQuantity(`Quantity must be at most ${CART_LIMITS.lineQuantity}`);
  return undefined;
}

/** updateCartLine's quantity: 0 (removes the line) up to the per-line limit. */
export function checkLineQuantity(quantity: number): UserError | undefined {
  if (!Number.isInteger(quantity) || quantity < 0) return errors.invalidQuantity('Quantity must not be negative (0 removes the line)');
  if (quantity > CART_LIMITS.lineQuantity) return errors.invalidQuantity(`Quantity must be at most ${CART_LIMITS.lineQuantity}`);
  return undefined;
}

function bump(cart: CartRecord, lines: CartLineRecord[], now: Date): CartRecord {
  return { ...cart, lines, updatedAt: now, version: cart.version + 1 };
}

/**
 * Adds `quantity` of a variant. A variant already in the cart increases that line; the line's
 * quantity after the change must not exceed what is available (availability unknown = 0).
 */
export function addLine(
  cart: CartRecord,
  input: { variant: VariantFacts; quantity: number; available: number; newLineId: string; now: Date },
): Decision {
  if (cart.status === 'CHECKED_OUT') return refuse(errors.checkedOut());
  const { variant, quantity, available, now } = input;
  const existing = cart.lines.find((l) => l.variantId === variant.id);
  const total = (existing?.quantity ?? 0) + quantity;
  if (total > CART_LIMITS.lineQuantity) {
    return refuse(errors.invalidQuantity(`A line holds at most ${CART_LIMITS.lineQuantity} units (${existing?.quantity ?? 0} already in the cart)`));
  }
  if (total > available) return refuse(errors.insufficientStock(available));
  if (existing) {
    return change(bump(cart, cart.lines.map((l) => (l === existing ? { ...l, quantity: total } : l)), now));
  }
  if (cart.lines.length >= CART_LIMITS.lines) return refuse(errors.tooManyLines());
  const line: CartLineRecord = {
    id: input.newLineId,
    variantId: variant.id,
    productId: variant.productId,
    sku: variant.sku,
    quantity,
    priceAtAdd: { ...variant.price },
    addedAt: now,
  };
  return change(bump(cart, [...cart.lines, line], now));
}

/**
 * Sets a line's quantity; 0 removes it. Only an increase is checked against availability: lowering
 * a line never makes the cart less sellable, so a shopper whose line exceeds a dropped stock level
 * can always come down step by step.
 */
export function setLineQuantity(
  cart: CartRecord,
  input: { lineId: string; quantity: number; available: (variantId: string) => number; now: Date },
): Decision {
  if (cart.status === 'CHECKED_OUT') return refuse(errors.checkedOut());
  const line = cart.lines.find((l) => l.id === input.lineId);
  if (!line) return refuse(errors.lineNotFound());
  if (input.quantity === 0) return removeLine(cart, { lineId: input.lineId, now: input.now });
  if (input.quantity === line.quantity) return change(null);
  if (input.quantity > line.quantity) {
    const available = input.available(line.variantId);
    if (input.quantity > available) return refuse(errors.insufficientStock(available));
  }
  return change(bump(cart, cart.lines.map((l) => (l === line ? { ...l, quantity: input.quantity } : l)), input.now));
}

export function removeLine(cart: CartRecord, input: { lineId: string; now: Date }): Decision {
  if (cart.status === 'CHECKED_OUT') return refuse(errors.checkedOut());
  if (!cart.lines.some((l) => l.id === input.lineId)) return refuse(errors.lineNotFound());
  return change(bump(cart, cart.lines.filter((l) => l.id !== input.lineId), input.now));
}

/** Marks the cart checked out by an order; a second time (any order) changes nothing. */
export function checkOut(cart: CartRecord, input: { orderId: string; now: Date }): CartRecord | null {
  if (cart.status === 'CHECKED_OUT') return null;
  return { ...cart, status: 'CHECKED_OUT', orderId: input.orderId, updatedAt: input.now, version: cart.version + 1 };
}
