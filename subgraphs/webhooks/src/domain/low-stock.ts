import type { StockLevelRecord } from './deps.ts';

/**
 * inventory.low_stock: a variant's available stock (over all locations) crossed below the
 * threshold — it was at or above it (or not seen before) and is below it now. The level last seen
 * per variant is kept with the event that set it, so a redelivered event decides the same.
 */
export function decideLowStock(previous: StockLevelRecord | null, event: { id: string; variantId: string; available: number }, threshold: number, now: Date): { crossed: boolean; next: StockLevelRecord } {
  if (previous && previous.lastEventId === event.id) return { crossed: previous.crossed, next: previous };
  const crossed = event.available < threshold && (!previous || previous.available >= threshold);
  return { crossed, next: { _id: event.variantId, available: event.available, lastEventId: event.id, crossed, updatedAt: now } };
}
