import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../src/domain/catalog-index.ts';
import type { ProductSnapshot } from '../src/domain/product.ts';

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
