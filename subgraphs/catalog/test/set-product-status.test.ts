import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../src/domain/catalog-index.ts';
import { toSnapshot, type ProductRecord } from '../src/domain/product.ts';
import { changeProductStatus } from '../src/domain/set-product-status.ts';

let seq = 0;
function record(title: string, opts: Partial<ProductRecord> = {}): ProductRecord {
  seq += 1;
  const at = new Date(Date.UTC(2026, 0, 1) + seq * 1000);
  return {
    _id: `prod_${String(seq).padStart(9, '0')}0000000000000000`,
    handle: `status-${seq}`,
    title,
    description: `${title} description`,
    categoryIds: ['cat_a'],
    status: 'ACTIVE',
    variants: [{ id: `var_s${seq}`, sku: `STATUS-${seq}`, title: 'Default', options: [], price: { amount: 1500, currencyCode: 'USD' } }],
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...opts,
  };
}

describe('changeProductStatus (the rule)', () => {
  it('archives an active product as its next version, touching nothing else', () => {
    const p = record('Archivable Kettle', { version: 4 });
    const now = new Date('2026-12-01T10:00:00.000Z');
    const next = changeProductStatus(p, 'ARCHIVED', now);
    expect(next).toEqual({ ...p, status: 'ARCHIVED', updatedAt: now, version: 5 });
    expect(p.status).toBe('ACTIVE'); // the input is not mutated
  });

  it('activates an archived product again', () => {
    const p = record('Returning Kettle', { status: 'ARCHIVED', version: 2 });
    expect(changeProductStatus(p, 'ACTIVE', new Date())).toMatchObject({ status: 'ACTIVE', version: 3 });
  });

  it('changes nothing when the product already has the status', () => {
    expect(changeProductStatus(record('Same Kettle'), 'ACTIVE', new Date())).toBeNull();
    expect(changeProductStatus(record('Same Kettle', { status: 'ARCHIVED' }), 'ARCHIVED', new Date())).toBeNull();
  });
});

describe('CatalogIndex.applyStatusChange', () => {
  const setup = () => {
    const index = new CatalogIndex();
    index.upsertCategory({ id: 'cat_a', name: 'A', parentId: null, createdAt: new Date(0).toISOString() });
    const target = record('Zanzibrook Lantern');
    const other = record('Zanzibrook Candle');
    index.upsertProduct(toSnapshot(target));
    index.upsertProduct(toSnapshot(other));
    return { index, target, other };
  };
  const ids = (index: CatalogIndex, q: Partial<Parameters<CatalogIndex['list']>[0]> = {}) =>
    index.list({ first: 10, sort: 'NEWEST', ...q }).items.map((i) => i.product.id);

  it('an archived product leaves listing, search, counts and facets at once, and comes back when active', () => {
    const { index, target, other } = setup();
    expect(ids(index)).toEqual([other._id, target._id]);

    expect(index.applyStatusChange(target._id, 'ARCHIVED', 2)).toBe('applied');
    expect(ids(index)).toEqual([other._id]);
    expect(index.list({ first: 10, sort: 'NEWEST' }).totalCount).toBe(1);
    for (const sort of ['RELEVANCE', 'PRICE_ASC', 'TITLE_ASC'] as const) {
      const r = index.list({ first: 10, sort, search: 'zanzibrook' });
      expect(r.items.map((i) => i.product.id), sort).toEqual([other._id]);
      expect(r.totalCount).toBe(1);
    }
    expect(ids(index, { categoryId: 'cat_a' })).toEqual([other._id]);
    expect(index.list({ first: 10, sort: 'NEWEST' }).facets().categories).toEqual([{ categoryId: 'cat_a', count: 1 }]);
    expect(index.list({ first: 10, sort: 'NEWEST', search: 'lantern' }).totalCount).toBe(0);
    // lookups keep it, with its status (entities resolve for order history)
    expect(index.getProduct(target._id)).toMatchObject({ status: 'ARCHIVED', version: 2 });
    expect(index.getProductByHandle(target.handle)?.status).toBe('ARCHIVED');
    expect(index.getVariant(target.variants[0]!.id)?.product.status).toBe('ARCHIVED');

    expect(index.applyStatusChange(target._id, 'ACTIVE', 3)).toBe('applied');
    expect(ids(index)).toEqual([other._id, target._id]);
    expect(index.list({ first: 10, sort: 'RELEVANCE', search: 'lantern' }).items.map((i) => i.product.id)).toEqual([target._id]);
    expect(index.list({ first: 10, sort: 'NEWEST' }).facets().categories).toEqual([{ categoryId: 'cat_a', count: 2 }]);
  });

  it('is idempotent by version: an old or repeated change is stale, a skipped version is a gap', () => {
    const { index, target } = setup();
    expect(index.applyStatusChange(target._id, 'ARCHIVED', 2)).toBe('applied');
    expect(index.applyStatusChange(target._id, 'ARCHIVED', 2)).toBe('stale');
    expect(index.applyStatusChange(target._id, 'ACTIVE', 1)).toBe('stale');
    expect(index.getProduct(target._id)?.status).toBe('ARCHIVED');
    expect(index.applyStatusChange(target._id, 'ACTIVE', 5)).toBe('gap');
    expect(index.getProduct(target._id)?.status).toBe('ARCHIVED');
    expect(index.applyStatusChange('prod_unknown', 'ARCHIVED', 2)).toBe('gap');
  });

  it('a price change after a status change continues the same version sequence', () => {
    const { index, target } = setup();
    index.applyStatusChange(target._id, 'ARCHIVED', 2);
    expect(index.applyPriceChange(target._id, target.variants[0]!.id, { amount: 999, currencyCode: 'USD' }, 3)).toBe('applied');
    expect(index.getProduct(target._id)).toMatchObject({ status: 'ARCHIVED', version: 3, minPrice: { amount: 999 } });
  });
});
