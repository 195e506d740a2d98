import { CategoryCreated, ProductCreated } from '@commerce/events/contracts';
import { newId, seededRandom } from '@commerce/platform';
import type { CatalogDeps } from './deps.ts';
import { toSnapshot, type CategoryRecord, type ProductRecord } from './product.ts';

/**
 * A deterministic demo catalog: the same categories, handles, titles, options and prices on every
 * run (ids differ). 4 departments × 3 subcategories; products spread over the 12 leaves.
 */
const DEPARTMENTS: Array<[string, string[]]> = [
  ['Apparel', ['Shirts', 'Jackets', 'Shoes']],
  ['Home', ['Kitchen', 'Lighting', 'Textiles']],
  ['Outdoor', ['Camping', 'Cycling', 'Climbing']],
  ['Electronics', ['Audio', 'Cameras', 'Accessories']],
];
const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Vintage', 'Modern', 'Rugged', 'Featherweight', 'Organic', 'Studio', 'Nordic', 'Solar', 'Midnight', 'Canyon', 'Harbor', 'Summit'];
const MATERIALS = ['Linen', 'Wool', 'Canvas', 'Leather', 'Bamboo', 'Cotton', 'Titanium', 'Walnut', 'Ceramic', 'Carbon', 'Denim', 'Merino'];
const NOUNS: Record<string, string[]> = {
  Shirts: ['Shirt', 'Overshirt', 'Polo', 'Tee'],
  Jackets: ['Jacket', 'Parka', 'Windbreaker', 'Vest'],
  Shoes: ['Sneaker', 'Boot', 'Loafer', 'Sandal'],
  Kitchen: ['Skillet', 'Knife', 'Mug', 'Cutting Board'],
  Lighting: ['Lamp', 'Lantern', 'Pendant', 'Sconce'],
  Textiles: ['Throw', 'Pillow', 'Rug', 'Towel'],
  Camping: ['Tent', 'Sleeping Bag', 'Stove', 'Hammock'],
  Cycling: ['Helmet', 'Saddle Bag', 'Bike Light', 'Jersey'],
  Climbing: ['Harness', 'Chalk Bag', 'Rope', 'Belay Device'],
  Audio: ['Headphones', 'Speaker', 'Earbuds', 'Turntable'],
  Cameras: ['Camera', 'Lens', 'Tripod', 'Camera Strap'],
  Accessories: ['Charger', 'Cable', 'Power Bank', 'Sleeve'],
};
const SIZES = ['S', 'M', 'L'];
const COLORS = ['Black', 'Sand', 'Forest', 'Navy'];

/** The seeded PRNG, so prices and variants repeat exactly. */
export const rng = seededRandom;

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export interface SeedProgress {
  (done: number, total: number): void;
}

/** The demo categories: 4 departments, each with 3 leaf subcategories. */
export function demoCategories(now = Date.now()): { categories: CategoryRecord[]; leaves: CategoryRecord[] } {
  const leaves: CategoryRecord[] = [];
  const categories: CategoryRecord[] = [];
  DEPARTMENTS.forEach(([dept, subs], d) => {
    const root: CategoryRecord = { _id: newId('cat'), name: dept, parentId: null, siblingKey: `root/${dept.toLowerCase()}`, createdAt: new Date(now - 100_000 + d), version: 1 };
    categories.push(root);
    subs.forEach((sub, s) => {
      const leaf: CategoryRecord = { _id: newId('cat'), name: sub, parentId: root._id, siblingKey: `${root._id}/${sub.toLowerCase()}`, createdAt: new Date(now - 90_000 + d * 10 + s), version: 1 };
      categories.push(leaf);
      leaves.push(leaf);
    });
  });
  return { categories, leaves };
}

/** Demo product number `i` (0-based) of a catalog of `count`, in one of the leaf categories. */
export function demoProduct(i: number, count: number, cats: { categories: CategoryRecord[]; leaves: CategoryRecord[] }, currency: string, now = Date.now()): ProductRecord {
  const r = rng(i + 1);
  const leaf = cats.leaves[i % cats.leaves.length]!;
  const nouns = NOUNS[leaf.name]!;
  const title = `${ADJECTIVES[Math.floor(r() * ADJECTIVES.length)]} ${MATERIALS[Math.floor(r() * MATERIALS.length)]} ${nouns[Math.floor(r() * nouns.length)]}`;
  const handle = `${slug(title)}-${i + 1}`;
  const base = 500 + Math.floor(r() * 200) * 50; // $5.00 – $104.50
  const sized = leaf.parentId === cats.categories[0]!._id; // apparel comes in sizes
  const variantNames = sized ? SIZES : COLORS.slice(0, 1 + Math.floor(r() * 3));
  const createdAt = new Date(now - (count - i) * 1000);
  return {
    _id: newId('prod'),
    handle,
    title,
    description: `${title} from our ${leaf.name.toLowerCase()} range. Demo product ${i + 1}: ${MATERIALS[i % MATERIALS.length]!.toLowerCase()} construction, built to last.`,
    categoryIds: [leaf._id],
    status: 'ACTIVE',
    variants: variantNames.map((name, k) => ({
      id: newId('var'),
      sku: `DEMO-${String(i + 1).padStart(6, '0')}-${name.toUpperCase()}`,
      title: name,
      options: [{ name: sized ? 'Size' : 'Color', value: name }],
      price: { amount: base + k * (sized ? 200 : 0), currencyCode: currency },
    })),
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
}

/** Seeds categories and `count` products through the outbox (so events flow as for any create). */
export async function seedDemoCatalog(deps: CatalogDeps, count: number, progress?: SeedProgress): Promise<void> {
  const now = Date.now();
  const cats = demoCategories(now);
  await deps.committer.createMany(
    'categories',
    cats.categories.map((c) => ({ doc: c, events: [CategoryCreated.create({ id: c._id, name: c.name, parentId: c.parentId, createdAt: c.createdAt.toISOString() }, { aggregateId: c._id })] })),
  );
  for (const c of cats.categories) deps.index.upsertCategory({ id: c._id, name: c.name, parentId: c.parentId, createdAt: c.createdAt.toISOString() });

  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const batch: Array<{ doc: ProductRecord; events: ReturnType<typeof ProductCreated.create>[] }> = [];
    const claims: Array<{ _id: string; productId: string; claimedAt: Date }> = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const doc = demoProduct(i, count, cats, deps.storeCurrency, now);
      for (const v of doc.variants) claims.push({ _id: v.sku, productId: doc._id, claimedAt: doc.createdAt });
      batch.push({ doc, events: [ProductCreated.create(toSnapshot(doc), { aggregateId: doc._id })] });
    }
    await deps.models.SkuClaim.collection.insertMany(claims as never[], { ordered: true });
    await deps.committer.createMany('products', batch);
    for (const b of batch) deps.index.upsertProduct(toSnapshot(b.doc));
    progress?.(Math.min(count, start + BATCH), count);
  }
}
