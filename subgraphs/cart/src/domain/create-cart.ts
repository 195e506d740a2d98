import { newId, type Identity } from '@commerce/platform';
import { newCart, type CartRecord } from './cart.ts';
import type { CartDeps } from './deps.ts';

/** Creates an empty cart: anonymous without a user, owned by the user otherwise. */
export async function createCart(deps: CartDeps, user: Identity | null): Promise<CartRecord> {
  const cart = newCart(newId('cart'), user);
  const result = await deps.committer.commit('carts', cart, []);
  if (!result.ok) throw new Error(`could not create cart ${cart._id}: ${result.reason}`);
  return cart;
}
