import type { Money } from '@commerce/platform';

/**
 * What the cart knows about variants, learnt from catalog and inventory events (never asked for
 * synchronously). One instance of this class per process: loaded from the cart's own database at
 * start and kept current by following the event stream. Every apply is idempotent and
 * commutative — the newest version wins, whatever order events arrive in — so replays, the start-up
 * overlap and duplicates are harmless.
 */
export interface VariantFacts {
  id: string;
  productId: string;
  sku: string;
  /** product title; unknown while only a price change was seen */
  title: string | null;
  /** variant title, e.g. "Large / Blue" */
  variantTitle: string | null;
  price: Money;
  /** the product's version that set this price */
  priceVersion: number;
}

export interface StockFact {
  /** on hand − reserved at this location */
  available: number;
  /** the stock level's version (per variant and location) */
  version: number;
}

export class CartReadModel {
  private readonly variants = new Map<string, VariantFacts>();
  private readonly stock = new Map<string, Map<string, StockFact>>();

  /** Merges what an event or a stored document says about a variant; returns whether anything changed. */
  applyVariant(facts: VariantFacts): boolean {
    const merged = mergeVariantFacts(this.variants.get(facts.id), facts);
    if (merged) this.variants.set(facts.id, merged);
    return merged !== null;
  }

  /** Records one location's stock level; an older or equal version is ignored. */
  applyStock(variantId: string, locationId: string, fact: StockFact): boolean {
    let byLocation = this.stock.get(variantId);
    if (!byLocation) {
      byLocation = new Map();
      this.stock.set(variantId, byLocation);
    }
    const current = byLocation.get(locationId);
    if (current && current.version >= fact.version) return false;
    byLocation.set(locationId, { available: Math.max(0, fact.available), version: fact.version });
    return true;
  }

  variant(id: string): VariantFacts | undefined {
    return this.variants.get(id);
  }

  /** Units available over every location; 0 while no stock event was seen for the variant. */
  available(variantId: string): number {
    const byLocation = this.stock.get(variantId);
    if (!byLocation) return 0;
    let sum = 0;
    for (const s of byLocation.values()) sum += s.available;
    return sum;
  }

  get size(): number {
    return this.variants.size;
  }
}

/**
 * The one merge rule, used in memory and for the stored copy: descriptive fields are immutable in
 * the catalog (fill in what was missing), the price of the highest product version wins. Returns
 * the merged facts, or null when `incoming` adds nothing.
 */
export function mergeVariantFacts(current: VariantFacts | undefined | null, incoming: VariantFacts): VariantFacts | null {
  if (!current) return { ...incoming, price: { ...incoming.price } };
  const newerPrice = incoming.priceVersion > current.priceVersion;
  const title = current.title ?? incoming.title;
  const variantTitle = current.variantTitle ?? incoming.variantTitle;
  if (!newerPrice && title === current.title && variantTitle === current.variantTitle) return null;
  return {
    ...current,
    title,
    variantTitle,
    ...(newerPrice ? { price: { ...incoming.price }, priceVersion: incoming.priceVersion } : {}),
  };
}
