import type { EventEnvelope } from '@commerce/events';
import { CartLineAdded } from '@commerce/events/contracts';
import { isId, newId, userError, type Identity, type UserError } from '@commerce/platform';
import { canAccess, type CartRecord } from './cart.ts';
import { addLine, checkAddQuantity, checkLineQuantity, errors, removeLine, setLineQuantity, type Decision } from './cart-rules.ts';
import type { CartDeps } from './deps.ts';

/** What a cart mutation answers: the cart after the change (or unchanged, or null when not found) and why not. */
export interface CartChangeResult {
  cart: CartRecord | null;
  userErrors: UserError[];
}

/** Tracing metadata a command passes on to the events it causes. */
export interface CommandMeta {
  requestId: string;
  traceparent?: string;
}

/**
 * Runs one rule on a cart through `committer.update`: the rule is decided on the newest committed
 * state and the commit claims the next version, so concurrent changes of one cart are applied one
 * after the other and none is lost (also on FerretDB). Input errors found before the cart was read
 * are answered together with the unchanged cart. Every failure changes nothing.
 * `eventsOf` names the events of a change; they are part of the same commit (the outbox entry of
 * the new version), so they are published exactly when, and only if, the change is committed.
 */
async function changeCart(
  deps: CartDeps,
  cartId: string,
  user: Identity | null,
  inputErrors: UserError[],
  rule: (cart: CartRecord) => Decision,
  eventsOf: (before: CartRecord, next: CartRecord) => EventEnvelope[] = () => [],
): Promise<CartChangeResult> {
  if (!isId('cart', cartId)) return { cart: null, userErrors: [errors.cartNotFound()] };
  let refused: UserError[] = [];
  const result = await deps.committer.update<CartRecord, CartRecord | null>('carts', cartId, (current) => {
    refused = [];
    if (!current || !canAccess(current, user)) return { done: null };
    if (inputErrors.length) {
      refused = inputErrors;
      return { done: current };
    }
    const decision = rule(current);
    if (!decision.ok) {
      refused = decision.errors;
      return { done: current };
    }
    return decision.next ? { next: decision.next, events: eventsOf(current, decision.next) } : { done: current };
  });
  switch (result.status) {
    case 'committed':
      return { cart: result.state, userErrors: [] };
    case 'done':
      return result.value ? { cart: result.value, userErrors: refused } : { cart: null, userErrors: [errors.cartNotFound()] };
    case 'contended': {
      const current = await deps.carts.findOne({ _id: cartId });
      return {
        cart: current && canAccess(current, user) ? current : null,
        userErrors: [userError('CONCURRENT_UPDATE', 'The cart is being changed by many requests at once; try again', ['cartId'])],
      };
    }
  }
}

/**
 * Adds `quantity` of a variant (an existing line for the variant grows). A committed add publishes
 * CartLineAdded with the quantity added by this call (not the line's total) and the variant's
 * current unit price; a refused add publishes nothing.
 */
export function addToCart(
  deps: CartDeps,
  user: Identity | null,
  input: { cartId: string; variantId: string; quantity: number },
  meta?: CommandMeta,
): Promise<CartChangeResult> {
  const inputErrors: UserError[] = [];
  const quantityError = checkAddQuantity(input.quantity);
  if (quantityError) inputErrors.push(quantityError);
  const variant = deps.readModel.variant(input.variantId);
  // a price in another currency than the store's cannot be sold by this store
  if (!variant || variant.price.currencyCode !== deps.currency) inputErrors.push(errors.variantNotFound());
  let now = new Date();
  return changeCart(
    deps,
    input.cartId,
    user,
    inputErrors,
    (cart) => {
      now = new Date();
      return addLine(cart, { variant: variant!, quantity: input.quantity, available: deps.readModel.available(input.variantId), newLineId: newId('line'), now });
    },
    (before, next) => {
      const line = next.lines.find((l) => l.variantId === variant!.id)!;
      return [
        CartLineAdded.create(
          {
            cartId: next._id,
            customerId: before.customerId,
            productId: line.productId ?? variant!.productId,
            variantId: variant!.id,
            quantity: input.quantity,
            unitPrice: { ...variant!.price },
            addedAt: now.toISOString(),
          },
          { aggregateId: next._id, occurredAt: now, ...(meta ? { correlationId: meta.requestId } : {}), ...(meta?.traceparent ? { traceparent: meta.traceparent } : {}) },
        ),
      ];
    },
  );
}

/** Sets a line's quantity; 0 removes the line. */
export function updateCartLine(deps: CartDeps, user: Identity | null, input: { cartId: string; lineId: string; quantity: number }): Promise<CartChangeResult> {
  const quantityError = checkLineQuantity(input.quantity);
  return changeCart(deps, input.cartId, user, quantityError ? [quantityError] : [], (cart) =>
    setLineQuantity(cart, { lineId: input.lineId, quantity: input.quantity, available: (v) => deps.readModel.available(v), now: new Date() }),
  );
}

export function removeCartLine(deps: CartDeps, user: Identity | null, input: { cartId: string; lineId: string }): Promise<CartChangeResult> {
  return changeCart(deps, input.cartId, user, [], (cart) => removeLine(cart, { lineId: input.lineId, now: new Date() }));
}
