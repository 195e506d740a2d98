import type { Money } from '@commerce/platform';

/** The catalog's product aggregate as stored (one document, variants embedded). */
export interface VariantRecord {
  id: string;
  sku: string;
  title: string;
  options: Array<{ name: string; value: string }>;
  price: Money;
}

export interface ProductRecord {
  _id: string;
  handle: string;
  title: string;
  description: string;
  categoryIds: string[];
  status: 'ACTIVE' | 'ARCHIVED';
  variants: VariantRecord[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CategoryRecord {
  _id: string;
  name: string;
  parentId: string | null;
  /** `<parentId|root>/<lower-case name>`: unique, so two siblings cannot share a name */
  siblingKey: string;
  createdAt: Date;
  version: number;
}

/** The event/read-model shape of a product (dates as ISO strings). */
export interface ProductSnapshot {
  id: string;
  handle: string;
  title: string;
  description: string;
  categoryIds: string[];
  status: 'ACTIVE' | 'ARCHIVED';
  createdAt: string;
  version: number;
  variants: VariantRecord[];
}

export function toSnapshot(p: ProductRecord): ProductSnapshot {
  return {
    id: p._id,
    handle: p.handle,
    title: p.title,
    description: p.description,
    categoryIds: p.categoryIds,
    status: p.status,
    createdAt: new Date(p.createdAt).toISOString(),
    version: p.version,
    variants: p.variants.map((v) => ({ id: v.id, sku: v.sku, title: v.title, options: v.options, price: v.price })),
  };
}
