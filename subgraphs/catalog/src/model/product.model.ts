import { Schema, type Connection, type Model } from 'mongoose';
import type { CategoryRecord, ProductRecord } from '../domain/product.ts';

/**
 * Write-side storage. Storefront reads come from the in-memory CatalogIndex, so the only query
 * paths here are by `_id` (commits), the unique keys, and the full load at start.
 */
const moneySchema = new Schema({ amount: { type: Number, required: true }, currencyCode: { type: String, required: true } }, { _id: false });

const productSchema = new Schema<ProductRecord>(
  {
    _id: { type: String, required: true },
    handle: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    categoryIds: { type: [String], default: [] },
    status: { type: String, enum: ['ACTIVE', 'ARCHIVED'], required: true },
    variants: [
      new Schema(
        {
          id: { type: String, required: true },
          sku: { type: String, required: true },
          title: { type: String, required: true },
          options: [new Schema({ name: String, value: String }, { _id: false })],
          price: { type: moneySchema, required: true },
        },
        { _id: false },
      ),
    ],
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'products', versionKey: false },
);
productSchema.index({ handle: 1 }, { unique: true });
// setVariantPrice's fallback lookup when a variant is not (yet) in this instance's read model
productSchema.index({ 'variants.id': 1 });

/**
 * SKU uniqueness across products: FerretDB indexes an array as one value, so a unique index on
 * `variants.sku` would not stop a duplicate. Each SKU is claimed by inserting `{_id: sku}`.
 */
export interface SkuClaim {
  _id: string;
  productId: string;
  claimedAt: Date;
}
const skuClaimSchema = new Schema<SkuClaim>({ _id: String, productId: { type: String, required: true }, claimedAt: Date }, { collection: 'sku_claims', versionKey: false });
skuClaimSchema.index({ productId: 1 });

const categorySchema = new Schema<CategoryRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    parentId: { type: String, default: null },
    siblingKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'categories', versionKey: false },
);
categorySchema.index({ siblingKey: 1 }, { unique: true });

/** What inventory last reported per variant (units available over all locations). */
export interface VariantStock {
  _id: string; // variant id
  available: number;
  /** newest stock-level version applied, per `<variantId>@<locationId>` */
  versions: Record<string, number>;
  updatedAt: Date;
}
const variantStockSchema = new Schema<VariantStock>({ _id: String, available: { type: Number, required: true }, versions: { type: Schema.Types.Mixed, default: {} }, updatedAt: Date }, { collection: 'variant_stock', versionKey: false });

export interface CatalogModels {
  VariantStock: Model<VariantStock>;
  Product: Model<ProductRecord>;
  SkuClaim: Model<SkuClaim>;
  Category: Model<CategoryRecord>;
}

export function registerModels(conn: Connection): CatalogModels {
  return {
    VariantStock: conn.model<VariantStock>('VariantStock', variantStockSchema),
    Product: conn.model<ProductRecord>('Product', productSchema),
    SkuClaim: conn.model<SkuClaim>('SkuClaim', skuClaimSchema),
    Category: conn.model<CategoryRecord>('Category', categorySchema),
  };
}
