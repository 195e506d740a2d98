import { fail, isId, ok, userError, type Result, type UserError } from '@commerce/platform';
import type { Cause, InventoryDeps } from './deps.ts';
import { DEFAULT_LOCATION, MAX_ON_HAND, setOnHand, type StockLevelRecord } from './stock-level.ts';
import { applyStockChange } from './stock-ops.ts';

/** Input rules of setStock, as userErrors (never exceptions). */
export function checkSetStock(variantId: string, quantity: number): UserError[] {
  const errors: UserError[] = [];
  if (!isId('var', variantId)) errors.push(userError('VARIANT_NOT_FOUND', 'Variant not found', ['variantId']));
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_ON_HAND) {
    errors.push(userError('INVALID_QUANTITY', `Quantity must be a whole number from 0 to ${MAX_ON_HAND.toLocaleString('en-US')}`, ['quantity']));
  }
  return errors;
}

/**
 * Sets the on-hand quantity of a variant at the default location (admin). The catalog owns
 * variant existence: a well-formed variant id inventory never saw gets its stock level created.
 * Reserved stock is never taken away: below what is reserved → BELOW_RESERVED.
 */
export async function setStock(deps: InventoryDeps, variantId: string, quantity: number, cause: Cause): Promise<Result<StockLevelRecord | null>> {
  const errors = checkSetStock(variantId, quantity);
  if (errors.length) return fail(...errors);
  const change = await applyStockChange(deps, variantId, DEFAULT_LOCATION, (cur, now) => setOnHand(cur, variantId, DEFAULT_LOCATION, quantity, now), cause);
  switch (change.kind) {
    case 'changed':
      return ok(change.next);
    case 'unchanged':
      return ok(change.level);
    case 'rejected': {
      const reserved = change.level?.reserved ?? 0;
      return fail(userError('BELOW_RESERVED', `${reserved} units are reserved for open orders; on hand cannot go below that`, ['quantity']));
    }
  }
}
