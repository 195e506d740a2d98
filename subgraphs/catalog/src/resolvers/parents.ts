import type { IndexedProduct } from '../domain/catalog-index.ts';
import type { VariantRecord } from '../domain/product.ts';

/** What a ProductVariant resolver receives: the variant with its product (for `product`). */
export interface VariantParent {
  product: IndexedProduct;
  variant: VariantRecord;
}
