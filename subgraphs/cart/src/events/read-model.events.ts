import { ProductCreated, StockLevelChanged, VariantPriceChanged } from '@commerce/events/contracts';
import { anyEventOn, type EventContract, type EventEnvelope, type EventOf } from '@commerce/events';
import type { StockFact, VariantFacts } from '../domain/read-model.ts';

/** Subjects the read model follows (catalog: products and prices; inventory: stock levels). */
export const CATALOG_SUBJECT = 'commerce.catalog.>';
export const STOCK_SUBJECT = StockLevelChanged.subject;

const anyCatalogEvent = anyEventOn(CATALOG_SUBJECT);
/**
 * Every catalog event, with the data of the kinds the cart uses validated against their contracts:
 * a product-created or variant-price-changed that does not fit is parked as a dead letter at once
 * (it would never succeed), instead of holding up the serial consumer with retries.
 */
export const CatalogEvents: EventContract = {
  ...anyCatalogEvent,
  parse(raw) {
    const envelope = anyCatalogEvent.parse(raw);
    if (envelope.type === ProductCreated.type) return ProductCreated.parse(raw);
    if (envelope.type === VariantPriceChanged.type) return VariantPriceChanged.parse(raw);
    return envelope;
  },
};

/** What a catalog event says about variants (none for events the cart does not care about). */
export function variantFactsOf(raw: EventEnvelope): VariantFacts[] {
  switch (raw.type) {
    case ProductCreated.type: {
      const p = ProductCreated.parse(raw).data;
      return p.variants.map((v) => ({ id: v.id, productId: p.id, sku: v.sku, title: p.title, variantTitle: v.title, price: v.price, priceVersion: p.version }));
    }
    case VariantPriceChanged.type: {
      const e = VariantPriceChanged.parse(raw).data;
      return [{ id: e.variantId, productId: e.productId, sku: e.sku, title: null, variantTitle: null, price: e.price, priceVersion: e.version }];
    }
    default:
      return []; // categories, newer versions of events: not this read model's business
  }
}

/** One location's stock level, as a StockLevelChanged says it. */
export function stockFactOf(e: EventOf<typeof StockLevelChanged>): { variantId: string; locationId: string; fact: StockFact } {
  const d = e.data;
  return { variantId: d.variantId, locationId: d.locationId, fact: { available: Math.max(0, d.onHand - d.reserved), version: d.version } };
}
