import { badUserInput, decodeCursor, encodeCursor, isId, MAX_PAGE_SIZE, parseMoney, toApiMoney } from '@commerce/platform';
import type { CatalogIndex, CategoryView, CursorPosition, Facets, IndexedProduct, SortKey } from '../domain/catalog-index.ts';
import type { QueryResolvers, ProductResolvers, ProductVariantResolvers, ResolversTypes } from '../__generated__/resolvers-types.ts';

const MAX_SEARCH_LENGTH = 200;

interface Cursor extends CursorPosition {
  s: SortKey;
}
const isCursor = (v: unknown): v is Cursor => {
  const c = v as Cursor;
  return !!c && typeof c === 'object' && typeof c.id === 'string' && (typeof c.v === 'number' || typeof c.v === 'string') && typeof c.s === 'string';
};

function priceFilter(value: string | null | undefined, currency: string, field: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = parseMoney(value, currency);
  if (!parsed.ok) throw badUserInput(`${field} must be a non-negative decimal amount such as "19.99"`, `filter.${field}`);
  return parsed.money.amount;
}

/** The API shape of a listing's facets: categories the index no longer knows are left out. */
function apiFacets(facets: Facets, index: CatalogIndex, currencyCode: string): ResolversTypes['ProductFacets'] {
  const categories: Array<ResolversTypes['CategoryFacet']> = [];
  for (const c of facets.categories) {
    const category = index.getCategory(c.categoryId);
    if (category) categories.push({ category, count: c.count });
  }
  return {
    categories,
    priceRanges: facets.priceRanges.map((r) => ({
      min: toApiMoney({ amount: r.min, currencyCode }),
      max: r.max === null ? null : toApiMoney({ amount: r.max, currencyCode }),
      count: r.count,
    })),
  };
}

export const productQueries: Pick<QueryResolvers, 'product' | 'products'> = {
  product(_p, args, ctx) {
    if ((args.id == null) === (args.handle == null)) throw badUserInput('Give exactly one of id or handle');
    if (args.id != null) {
      if (!isId('prod', args.id)) throw badUserInput('Malformed product id', 'id');
      return ctx.loaders.product.load(args.id).then((p) => (p && p.status === 'ACTIVE' ? p : null));
    }
    if (args.handle!.length > 200) throw badUserInput('Handle too long', 'handle');
    const p = ctx.deps.index.getProductByHandle(args.handle!);
    return p && p.status === 'ACTIVE' ? p : null;
  },

  products(_p, args, ctx) {
    const first = args.first ?? 20;
    if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
    const sort = (args.sort ?? 'RELEVANCE') as SortKey;
    let after: CursorPosition | undefined;
    if (args.after != null) {
      const c = decodeCursor(args.after, isCursor);
      if (!c) throw badUserInput('Malformed cursor', 'after');
      if (c.s !== sort) throw badUserInput('This cursor belongs to another sort order', 'after');
      after = { v: c.v, id: c.id };
    }
    const f = args.filter ?? {};
    if (f.search != null && f.search.length > MAX_SEARCH_LENGTH) throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'filter.search');
    if (f.categoryId != null && !isId('cat', f.categoryId)) throw badUserInput('Malformed category id', 'filter.categoryId');
    const currency = ctx.deps.storeCurrency;
    const minPrice = priceFilter(f.minPrice, currency, 'minPrice');
    const maxPrice = priceFilter(f.maxPrice, currency, 'maxPrice');
    const result = ctx.deps.index.list({
      first,
      sort,
      ...(after ? { after } : {}),
      ...(f.categoryId ? { categoryId: f.categoryId } : {}),
      ...(f.search ? { search: f.search } : {}),
      ...(minPrice !== undefined ? { minPrice } : {}),
      ...(maxPrice !== undefined ? { maxPrice } : {}),
      ...(f.inStock != null ? { inStock: f.inStock } : {}),
    });
    const edges = result.items.map((i) => ({ cursor: encodeCursor({ s: sort, v: i.position.v, id: i.position.id }), node: i.product }));
    const index = ctx.deps.index;
    let facets: ResolversTypes['ProductFacets'] | undefined;
    return {
      totalCount: result.totalCount,
      edges,
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: after !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      // a getter: the default resolver reads it only when `facets` is selected, so a listing
      // that does not ask for facets never computes them
      get facets() {
        return (facets ??= apiFacets(result.facets(), index, currency));
      },
    };
  },
};

export const Product: ProductResolvers = {
  __resolveReference(ref, ctx) {
    return ctx.loaders.product.load(ref.id);
  },
  categories(p, _a, ctx) {
    return ctx.loaders.category.loadMany(p.categoryIds).then((cs) => cs.filter((c): c is CategoryView => !!c && !(c instanceof Error)));
  },
  variants(p: IndexedProduct) {
    return p.variants.map((variant) => ({ product: p, variant }));
  },
  priceRange(p) {
    return { minVariantPrice: toApiMoney(p.minPrice), maxVariantPrice: toApiMoney(p.maxPrice) };
  },
};

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference(ref, ctx) {
    return ctx.loaders.variant.load(ref.id);
  },
  id: (v) => v.variant.id,
  sku: (v) => v.variant.sku,
  title: (v) => v.variant.title,
  options: (v) => v.variant.options,
  price: (v) => toApiMoney(v.variant.price),
  product: (v) => v.product,
};
