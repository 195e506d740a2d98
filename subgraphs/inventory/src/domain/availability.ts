import { availableOf, type StockLevelRecord } from './stock-level.ts';

export interface VariantAvailability {
  inStock: boolean;
  quantityAvailable: number;
}

type LevelFacts = Pick<StockLevelRecord, 'variantId' | 'locationId' | 'onHand' | 'reserved' | 'version'>;

/**
 * What the storefront asks inventory on every listing and product page — each variant's
 * availability over all its locations — kept in memory, so those reads cost no database round
 * trip. Fed by committed stock levels (this instance's own commits at once, every instance's
 * through stock-level-changed events) and loaded from `stock_levels` at start. Idempotent and
 * order-independent: per level, the highest version wins.
 */
export class AvailabilityView {
  private readonly levels = new Map<string, Map<string, { available: number; version: number }>>();

  /** Records a stock level version; false when an equal or newer one is already known. */
  apply(level: LevelFacts): boolean {
    let byLocation = this.levels.get(level.variantId);
    if (!byLocation) this.levels.set(level.variantId, (byLocation = new Map()));
    const known = byLocation.get(level.locationId);
    if (known && known.version >= level.version) return false;
    byLocation.set(level.locationId, { available: availableOf(level), version: level.version });
    return true;
  }

  /** A variant never stocked has nothing available. */
  of(variantId: string): VariantAvailability {
    let quantityAvailable = 0;
    for (const level of this.levels.get(variantId)?.values() ?? []) quantityAvailable += level.available;
    return { inStock: quantityAvailable > 0, quantityAvailable };
  }

  /** variants with at least one stock level */
  get size(): number {
    return this.levels.size;
  }
}
