import { isId } from '@commerce/platform';
import type { CartRecord } from './cart.ts';
import { checkOut } from './cart-rules.ts';
import type { CartDeps } from './deps.ts';

/**
 * Marks a cart checked out because an order was placed from it (idempotent: a redelivered or
 * second order-placed changes nothing). Throws when the cart stays contended, so the event is
 * redelivered with backoff.
 */
export async function checkOutCart(deps: CartDeps, cartId: string, orderId: string): Promise<'checked-out' | 'already' | 'unknown'> {
  if (!isId('cart', cartId)) return 'unknown';
  const result = await deps.committer.update<CartRecord, 'already' | 'unknown'>('carts', cartId, (current) => {
    if (!current) return { done: 'unknown' };
    const next = checkOut(current, { orderId, now: new Date() });
    return next ? { next, events: [] } : { done: 'already' };
  });
  if (result.status === 'contended') throw new Error(`cart ${cartId} stayed contended while checking out`);
  return result.status === 'committed' ? 'checked-out' : result.value;
}
