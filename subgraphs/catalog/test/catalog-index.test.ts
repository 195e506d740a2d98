import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../src/domain/catalog-index.ts';
import type { ProductSnapshot } from '../src/domain/product.ts';
import { rng } from '../src/domain/demo-catalog.ts';

let seq = 0;
function product(title: string, price: number, opts: Partial<ProductSnapshot> = {}): ProductSnapshot {
  seq += 1;
  const id = `prod_${String(seq).padStart(9, '0')}0000000000000000`;
  return {
    id,
    handle: `h-${seq}`,
    title,
    description: `${title} description`,
    categoryIds: [],
    status: 'ACTIVE',
    createdAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    version: 1,
    variants: [{ id: `var_${seq}`, sku: `SKU-${seq}`, title: 'Default', options: [{ name: 'Color', value: 'Blue' }], price: { amount: price, currencyCode: 'USD' } }],
    ...opts,
  };
}

function pageThrough(index: CatalogIndex, sort: 'PRICE_ASC' | 'NEWEST' | 'TITLE_ASC' | 'PRICE_DESC', between?: (page: number) => void) {
  const ids: string[] = [];
  let after;
  for (let page = 0; page < 100; page++) {
    const r = index.list({ first: 7, sort, ...(after ? { after } : {}) });
    ids.push(...r.items.map((i) => i.product.id));
    if (!r.hasNextPage) break;
    after = r.items[r.items.length - 1]!.position;
    between?.(page);
  }
  return ids;
}

describe('CatalogIndex', () => {
  it('pages through every ordering without duplicates or gaps, ties included', () => {
    const index = new CatalogIndex();
    for (let i = 0; i < 40; i++) index.upsertProduct(product(`Item ${i % 5}`, 1000 + (i % 4) * 100));
    for (const sort of ['PRICE_ASC', 'PRICE_DESC', 'NEWEST', 'TITLE_ASC'] as const) {
      const ids = pageThrough(index, sort);
      expect(new Set(ids).size).toBe(40);
      expect(ids).toHaveLength(40);
    }
  });

  it('keeps cursors stable when products are inserted between pages', () => {
    const index = new CatalogIndex();
    for (let i = 0; i < 30; i++) index.upsertProduct(product(`Base ${i}`, 500 + i));
    const before = new Set([...Array(30)].map((_, i) => `Base ${i}`));
    // newer products land at the head of NEWEST, i.e. on pages already read: nothing shifts
    const ids = pageThrough(index, 'NEWEST', () => index.upsertProduct(product('Late arrival', 1)));
    const titles = ids.map((id) => index.getProduct(id)!.title);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of before) expect(titles).toContain(t);
  });

  it('sorts by price and filters by price range in minor units', () => {
    const index = new CatalogIndex();
    index.upsertProduct(product('Cheap', 199));
    index.upsertProduct(product('Mid', 2500));
    index.upsertProduct(product('Dear', 99900));
    expect(index.list({ first: 10, sort: 'PRICE_ASC' }).items.map((i) => i.product.title)).toEqual(['Cheap', 'Mid', 'Dear']);
    expect(index.list({ first: 10, sort: 'PRICE_DESC' }).items.map((i) => i.product.title)).toEqual(['Dear', 'Mid', 'Cheap']);
    const r = index.list({ first: 10, sort: 'PRICE_ASC', minPrice: 200, maxPrice: 99900 });
    expect(r.items.map((i) => i.product.title)).toEqual(['Mid', 'Dear']);
    expect(r.totalCount).toBe(2);
  });

  it('finds by words, prefixes and small typos, best match first', () => {
    const index = new CatalogIndex();
    index.upsertProduct(product('Waterproof Hiking Boot', 100));
    index.upsertProduct(product('Leather Office Shoe', 100, { description: 'Goes with a hiking trip too' }));
    index.upsertProduct(product('Camping Lantern', 100));
    const titles = (q: string) => index.list({ first: 10, sort: 'RELEVANCE', search: q }).items.map((i) => i.product.title);
    expect(titles('hiking')[0]).toBe('Waterproof Hiking Boot'); // title outranks description
    expect(titles('hiking')).toContain('Leather Office Shoe');
    expect(titles('lant')).toEqual(['Camping Lantern']); // prefix
    expect(titles('lanturn')).toEqual(['Camping Lantern']); // typo
    expect(titles('blue')).toHaveLength(3); // option values are searchable
    expect(titles('nothing-like-this')).toEqual([]);
  });

  it('ignores stale versions and applies the next price change', () => {
    const index = new CatalogIndex();
    const p = product('Versioned', 1000);
    index.upsertProduct(p);
    expect(index.upsertProduct({ ...p, title: 'Older' })).toBe(false);
    expect(index.applyPriceChange(p.id, p.variants[0]!.id, { amount: 900, currencyCode: 'USD' }, 2)).toBe('applied');
    expect(index.applyPriceChange(p.id, p.variants[0]!.id, { amount: 800, currencyCode: 'USD' }, 2)).toBe('stale');
    expect(index.applyPriceChange(p.id, p.variants[0]!.id, { amount: 700, currencyCode: 'USD' }, 5)).toBe('gap');
    expect(index.getProduct(p.id)!.minPrice.amount).toBe(900);
  });

  it('hides archived products and scopes a category filter to its subtree', () => {
    const index = new CatalogIndex();
    index.upsertCategory({ id: 'cat_root', name: 'Root', parentId: null, createdAt: '2026-01-01T00:00:00.000Z' });
    index.upsertCategory({ id: 'cat_child', name: 'Child', parentId: 'cat_root', createdAt: '2026-01-01T00:00:01.000Z' });
    index.upsertCategory({ id: 'cat_other', name: 'Other', parentId: null, createdAt: '2026-01-01T00:00:02.000Z' });
    index.upsertProduct(product('In child', 100, { categoryIds: ['cat_child'] }));
    index.upsertProduct(product('In other', 100, { categoryIds: ['cat_other'] }));
    index.upsertProduct(product('Archived', 100, { categoryIds: ['cat_child'], status: 'ARCHIVED' }));
    expect(index.list({ first: 10, sort: 'NEWEST', categoryId: 'cat_root' }).items.map((i) => i.product.title)).toEqual(['In child']);
    expect(index.listCategories().map((c) => c.id)).toEqual(['cat_root', 'cat_other', 'cat_child']);
  });
});

// ---- search paging, exact counts and facets over a generated catalogue ----


const CATS = [
  { id: 'cat_apparel', name: 'Apparel', parentId: null },
  { id: 'cat_shirts', name: 'Shirts', parentId: 'cat_apparel' },
  { id: 'cat_tees', name: 'Tees', parentId: 'cat_shirts' },
  { id: 'cat_jackets', name: 'Jackets', parentId: 'cat_apparel' },
  { id: 'cat_home', name: 'Home', parentId: null },
  { id: 'cat_lamps', name: 'Lamps', parentId: 'cat_home' },
];

/** 600 products: repeated titles (ties), 1–3 variants over every price band, 1–2 categories, some archived or in stock. */
function generatedIndex(): { index: CatalogIndex; all: ProductSnapshot[] } {
  const index = new CatalogIndex();
  CATS.forEach((c, i) => index.upsertCategory({ ...c, createdAt: new Date(Date.UTC(2026, 0, 1) + i).toISOString() }));
  const r = rng(1234);
  const adjectives = ['Linen', 'Wool', 'Canvas', 'Leather', 'Cotton', 'Walnut'];
  const nouns = ['Shirt', 'Tee', 'Jacket', 'Lamp', 'Pendant', 'Parka'];
  const prices = [99, 999, 1000, 2499, 2500, 4999, 9999, 10000, 24999, 50000, 99999, 100000, 250000];
  const all: ProductSnapshot[] = [];
  for (let i = 0; i < 600; i++) {
    const title = `${adjectives[Math.floor(r() * adjectives.length)]} ${nouns[Math.floor(r() * nouns.length)]}${r() < 0.3 ? ' Classic' : ''}`;
    const leafs = ['cat_tees', 'cat_shirts', 'cat_jackets', 'cat_lamps', 'cat_home', 'cat_unknown'];
    const categoryIds = [leafs[Math.floor(r() * leafs.length)]!];
    if (r() < 0.2) categoryIds.push(leafs[Math.floor(r() * leafs.length)]!);
    const nVariants = 1 + Math.floor(r() * 3);
    const p = product(title, 0, {
      categoryIds,
      status: r() < 0.1 ? 'ARCHIVED' : 'ACTIVE',
      variants: Array.from({ length: nVariants }, (_, k) => ({
        id: `var_g${i}_${k}`,
        sku: `G-${i}-${k}`,
        title: ['Small', 'Large', 'Blue'][k]!,
        options: [{ name: 'Size', value: ['S', 'L', 'Blue'][k]! }],
        price: { amount: prices[Math.floor(r() * prices.length)]!, currencyCode: 'USD' },
      })),
    });
    all.push(p);
    index.upsertProduct(p);
    if (r() < 0.4) index.setAvailable(p.variants[0]!.id, 3);
  }
  return { index, all };
}

type Sort = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'NEWEST' | 'TITLE_ASC';
function pageAll(index: CatalogIndex, q: Omit<Parameters<CatalogIndex['list']>[0], 'first' | 'after'>, first: number) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after;
  for (let page = 0; page < 1000; page++) {
    const r = index.list({ ...q, first, ...(after ? { after } : {}) });
    totals.add(r.totalCount);
    ids.push(...r.items.map((i) => i.product.id));
    if (!r.hasNextPage) break;
    after = r.items[r.items.length - 1]!.position;
  }
  return { ids, totals };
}

describe('CatalogIndex search, counts and facets', () => {
  const { index, all } = generatedIndex();
  const inScope = (p: ProductSnapshot, categoryId: string) => {
    const scope = new Set([categoryId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of CATS) if (c.parentId && scope.has(c.parentId) && !scope.has(c.id)) grew = scope.add(c.id) && true;
    }
    return p.categoryIds.some((c) => scope.has(c));
  };
  const filters = [
    {},
    { categoryId: 'cat_apparel' },
    { minPrice: 2500, maxPrice: 9999 },
    { inStock: true },
    { categoryId: 'cat_home', inStock: false, minPrice: 1000 },
  ];
  const searches = ['linen', 'lamp', 'wool shirt', 'lether', 'class', 'blue', 'zzzz'];

  it('pages searches with cursors for every ordering: same items as one big page, no duplicates or gaps', () => {
    for (const search of searches) {
      for (const filter of filters) {
        for (const sort of ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'TITLE_ASC'] as Sort[]) {
          const full = index.list({ first: 1000, sort, search, ...filter });
          const { ids, totals } = pageAll(index, { sort, search, ...filter }, 7);
          const label = `${search} ${sort} ${JSON.stringify(filter)}`;
          expect(ids, label).toEqual(full.items.map((i) => i.product.id));
          expect(new Set(ids).size, label).toBe(ids.length);
          expect([...totals], label).toEqual([full.totalCount]);
          expect(full.items.length, label).toBe(full.totalCount);
        }
      }
    }
  });

  it('orders search results by relevance, then id; by price, then id', () => {
    const rel = index.list({ first: 1000, sort: 'RELEVANCE', search: 'linen' }).items;
    for (let i = 1; i < rel.length; i++) {
      const a = rel[i - 1]!.position;
      const b = rel[i]!.position;
      expect((a.v as number) > (b.v as number) || (a.v === b.v && a.id < b.id)).toBe(true);
    }
    const byPrice = index.list({ first: 1000, sort: 'PRICE_ASC', search: 'linen' }).items.map((i) => i.product);
    const expected = [...byPrice].sort((a, b) => a.minPrice.amount - b.minPrice.amount || (a.id < b.id ? -1 : 1));
    expect(byPrice.map((p) => p.id)).toEqual(expected.map((p) => p.id));
  });

  it('counts exactly with filters, with and without a search', () => {
    for (const filter of filters) {
      const expected = all.filter((p) => {
        const held = index.getProduct(p.id)!;
        if (held.status !== 'ACTIVE') return false;
        if ('categoryId' in filter && filter.categoryId && !inScope(held, filter.categoryId)) return false;
        if ('inStock' in filter && filter.inStock !== undefined && index.isInStock(held) !== filter.inStock) return false;
        const lo = 'minPrice' in filter ? filter.minPrice : undefined;
        const hi = 'maxPrice' in filter ? filter.maxPrice : undefined;
        if ((lo ?? hi) !== undefined && !held.variants.some((v) => v.price.amount >= (lo ?? -Infinity) && v.price.amount <= (hi ?? Infinity))) return false;
        return true;
      });
      expect(index.list({ first: 5, sort: 'NEWEST', ...filter }).totalCount).toBe(expected.length);
      const linen = expected.filter((p) => /linen/i.test(p.title));
      expect(index.list({ first: 5, sort: 'RELEVANCE', search: 'linen', ...filter }).totalCount).toBe(linen.length);
      expect(index.list({ first: 5, sort: 'PRICE_DESC', search: 'linen', ...filter }).totalCount).toBe(linen.length);
    }
  });

  it('facets: category counts include subcategories and equal the totalCount of that category filter', () => {
    for (const search of [undefined, 'linen', 'lamp', 'blue']) {
      for (const filter of filters) {
        const q = { first: 3, sort: 'RELEVANCE' as const, ...(search ? { search } : {}), ...filter };
        const result = index.list(q);
        const facets = result.facets();
        expect(result.facets()).toBe(facets); // computed once
        const label = `${search} ${JSON.stringify(filter)}`;
        // every category with products, incl. parents, and the one the index does not know
        for (const c of [...CATS.map((c) => c.id), 'cat_unknown']) {
          const withCategory = index.list({ ...q, categoryId: c }).totalCount;
          const facet = facets.categories.find((f) => f.categoryId === c);
          // adding a category to a filter that already has one narrows to products in both scopes
          if (!('categoryId' in filter)) expect(facet?.count ?? 0, `${label} ${c}`).toBe(withCategory);
          if (facet) expect(facet.count).toBeGreaterThan(0);
        }
        for (let i = 1; i < facets.categories.length; i++) {
          const a = facets.categories[i - 1]!;
          const b = facets.categories[i]!;
          expect(a.count > b.count || (a.count === b.count && a.categoryId < b.categoryId), label).toBe(true);
        }
        if (!('categoryId' in filter) && result.totalCount > 0) {
          // the roots and the unknown category partition nothing, but every product is under one of them
          const roots = ['cat_apparel', 'cat_home', 'cat_unknown'].map((c) => facets.categories.find((f) => f.categoryId === c)?.count ?? 0);
          expect(roots.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(result.totalCount);
        }
      }
    }
  });

  it('facets: a product counts once per category even when listed in it twice over', () => {
    const small = new CatalogIndex();
    CATS.forEach((c, i) => small.upsertCategory({ ...c, createdAt: new Date(Date.UTC(2026, 0, 1) + i).toISOString() }));
    small.upsertProduct(product('Twice', 500, { categoryIds: ['cat_tees', 'cat_jackets'] }));
    small.upsertProduct(product('Once', 500, { categoryIds: ['cat_shirts'] }));
    const f = small.list({ first: 1, sort: 'NEWEST' }).facets();
    expect(f.categories).toEqual([
      { categoryId: 'cat_apparel', count: 2 },
      { categoryId: 'cat_shirts', count: 2 },
      { categoryId: 'cat_jackets', count: 1 },
      { categoryId: 'cat_tees', count: 1 },
    ]);
    // unfiltered facets are kept until the catalog changes
    small.upsertCategory({ id: 'cat_outdoor', name: 'Outdoor', parentId: null, createdAt: '2026-02-01T00:00:00.000Z' });
    small.upsertCategory({ id: 'cat_apparel', name: 'Apparel', parentId: 'cat_outdoor', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(small.list({ first: 1, sort: 'NEWEST' }).facets().categories[0]).toEqual({ categoryId: 'cat_apparel', count: 2 });
    expect(small.list({ first: 1, sort: 'NEWEST' }).facets().categories.find((c) => c.categoryId === 'cat_outdoor')?.count).toBe(2);
  });

  it('facets: price bands in minor units, a product in every band one of its variants is priced in', () => {
    const small = new CatalogIndex();
    const variant = (n: number, amount: number, currencyCode = 'USD') => ({ id: `var_b${seq}_${n}`, sku: `B-${seq}-${n}`, title: `V${n}`, options: [], price: { amount, currencyCode } });
    small.upsertProduct(product('Cheap and dear', 0, { variants: [variant(1, 999), variant(2, 1000), variant(3, 150000)] }));
    small.upsertProduct(product('Cheap', 0, { variants: [variant(1, 0), variant(2, 500)] }));
    small.upsertProduct(product('Exactly fifty', 0, { variants: [variant(1, 5000)] }));
    small.upsertProduct(product('Archived', 0, { status: 'ARCHIVED', variants: [variant(1, 30000)] }));
    const f = small.list({ first: 1, sort: 'NEWEST' }).facets();
    expect(f.priceRanges).toEqual([
      { min: 0, max: 1000, count: 2 },
      { min: 1000, max: 2500, count: 1 },
      { min: 5000, max: 10000, count: 1 },
      { min: 100000, max: null, count: 1 },
    ]);
    expect(small.list({ first: 1, sort: 'NEWEST', search: 'cheap' }).facets().priceRanges).toEqual([
      { min: 0, max: 1000, count: 2 },
      { min: 1000, max: 2500, count: 1 },
      { min: 100000, max: null, count: 1 },
    ]);
    expect(small.list({ first: 1, sort: 'NEWEST', search: 'cheap', minPrice: 1000 }).facets().priceRanges).toEqual([
      { min: 0, max: 1000, count: 1 },
      { min: 1000, max: 2500, count: 1 },
      { min: 100000, max: null, count: 1 },
    ]);
    expect(small.list({ first: 1, sort: 'NEWEST', search: 'nothing' }).facets()).toEqual({ categories: [], priceRanges: [] });
    expect(small.list({ first: 1, sort: 'NEWEST', search: '!!' }).facets()).toEqual({ categories: [], priceRanges: [] });
    const yen = new CatalogIndex();
    yen.upsertProduct(product('Yen', 0, { variants: [variant(1, 999, 'JPY'), variant(2, 1000, 'JPY')] }));
    expect(yen.list({ first: 1, sort: 'NEWEST' }).facets().priceRanges).toEqual([{ min: 500, max: 1000, count: 1 }, { min: 1000, max: null, count: 1 }]);
  });

  it('facets over the generated catalogue equal a brute-force count', () => {
    const edges = [0, 1000, 2500, 5000, 10000, 25000, 50000, 100000];
    for (const search of [undefined, 'linen', 'shirt']) {
      for (const filter of filters) {
        const result = index.list({ first: 1, sort: 'PRICE_ASC', ...(search ? { search } : {}), ...filter });
        const ids = new Set(index.list({ first: 1000, sort: 'PRICE_ASC', ...(search ? { search } : {}), ...filter }).items.map((i) => i.product.id));
        const expected = edges
          .map((min, b) => ({ min, max: edges[b + 1] ?? null, count: [...ids].filter((id) => index.getProduct(id)!.variants.some((v) => v.price.amount >= min && (b + 1 >= edges.length || v.price.amount < edges[b + 1]!))).length }))
          .filter((band) => band.count > 0);
        expect(result.facets().priceRanges).toEqual(expected);
      }
    }
  });

  it('re-indexes a product only when its words change, and finds it by its new words', () => {
    const small = new CatalogIndex();
    const p = product('Copper Kettle', 1000);
    small.upsertProduct(p);
    expect(small.applyPriceChange(p.id, p.variants[0]!.id, { amount: 900, currencyCode: 'USD' }, 2)).toBe('applied');
    expect(small.list({ first: 5, sort: 'RELEVANCE', search: 'copper' }).items.map((i) => i.product.minPrice.amount)).toEqual([900]);
    small.upsertProduct({ ...p, title: 'Steel Kettle', description: 'Brushed steel', version: 3 });
    expect(small.list({ first: 5, sort: 'RELEVANCE', search: 'copper' }).totalCount).toBe(0);
    expect(small.list({ first: 5, sort: 'RELEVANCE', search: 'steel' }).totalCount).toBe(1);
  });
});
