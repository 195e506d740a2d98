import type { Collection } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '@commerce/platform';
import { mergeVariantFacts, type CartReadModel, type StockFact, type VariantFacts } from '../domain/read-model.ts';

/**
 * The stored copy of the cart's read model (the memory one is rebuilt from it at start):
 * - `catalog_variants`: `{ _id: variantId, productId, sku, title, variantTitle, price, priceVersion }`
 * - `stock_levels`: `{ _id: "<variantId>@<locationId>", variantId, locationId, available, version }`
 *
 * Each collection has ONE writer: a serial durable consumer (JetStream max_ack_pending 1 across
 * all instances), so read-then-write is safe here even on FerretDB, whose updates are not atomic
 * with their filters. New keys are inserted first (no read; the common case when a catalog is
 * seeded), an existing one is merged by version.
 */
export interface VariantDoc extends Omit<VariantFacts, 'id'> {
  _id: string;
}
export interface StockDoc extends StockFact {
  _id: string;
  variantId: string;
  locationId: string;
}

const moneySchema = new Schema({ amount: { type: Number, required: true }, currencyCode: { type: String, required: true } }, { _id: false });
const variantSchema = new Schema<VariantDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    sku: { type: String, required: true },
    title: { type: String, default: null },
    variantTitle: { type: String, default: null },
    price: { type: moneySchema, required: true },
    priceVersion: { type: Number, required: true },
  },
  { collection: 'catalog_variants', versionKey: false },
);
const stockSchema = new Schema<StockDoc>(
  {
    _id: { type: String, required: true },
    variantId: { type: String, required: true },
    locationId: { type: String, required: true },
    available: { type: Number, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'stock_levels', versionKey: false },
);

const toDoc = ({ id, ...rest }: VariantFacts): VariantDoc => ({ _id: id, ...rest });
const toFacts = ({ _id, ...rest }: VariantDoc): VariantFacts => ({ id: _id, ...rest });

export class ReadModelStore {
  constructor(
    private readonly variants: Collection<VariantDoc>,
    private readonly stock: Collection<StockDoc>,
  ) {}

  /** Stores what an event says about a variant (single writer: the catalog consumer). */
  async saveVariant(facts: VariantFacts): Promise<void> {
    try {
      await this.variants.insertOne(toDoc(facts));
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const current = await this.variants.findOne({ _id: facts.id });
    const merged = mergeVariantFacts(current ? toFacts(current) : null, facts);
    if (merged) await this.variants.replaceOne({ _id: facts.id }, toDoc(merged), { upsert: true });
  }

  /** Stores one location's stock level when it is newer (single writer: the stock consumer). */
  async saveStock(variantId: string, locationId: string, fact: StockFact): Promise<void> {
    const doc: StockDoc = { _id: `${variantId}@${locationId}`, variantId, locationId, available: Math.max(0, fact.available), version: fact.version };
    try {
      await this.stock.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.stock.replaceOne({ _id: doc._id, version: { $lt: fact.version } }, doc);
    }
  }

  /** Loads everything into the memory read model (at start). */
  async loadInto(model: CartReadModel): Promise<{ variants: number; stockLevels: number }> {
    let variants = 0;
    let stockLevels = 0;
    for await (const doc of this.variants.find({}).batchSize(5000)) {
      model.applyVariant(toFacts(doc));
      variants += 1;
    }
    for await (const doc of this.stock.find({}).batchSize(5000)) {
      model.applyStock(doc.variantId, doc.locationId, { available: doc.available, version: doc.version });
      stockLevels += 1;
    }
    return { variants, stockLevels };
  }
}

export function registerReadModelStore(conn: Connection): ReadModelStore {
  const variants = conn.model<VariantDoc>('CatalogVariant', variantSchema).collection as unknown as Collection<VariantDoc>;
  const stock = conn.model<StockDoc>('StockLevel', stockSchema).collection as unknown as Collection<StockDoc>;
  return new ReadModelStore(variants, stock);
}
