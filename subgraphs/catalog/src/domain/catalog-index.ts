import MiniSearch from 'minisearch';
import type { Money } from '@commerce/platform';
import type { ProductSnapshot, VariantRecord } from './product.ts';

/**
 * The storefront's read model: every product in memory, with a full-text index (MiniSearch:
 * BM25 ranking, prefix and fuzzy matching) and one presorted array per ordering. Listing, search
 * and lookups never touch the database (which, on FerretDB, would scan the collection).
 * It is rebuilt from the database at start and kept current by catalog events; every update is
 * idempotent by product version, so replays and an instance's own events are harmless.
 */
export type SortKey = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'NEWEST' | 'TITLE_ASC';

export interface IndexedProduct extends ProductSnapshot {
  minPrice: Money;
  maxPrice: Money;
  createdAtMs: number;
  titleKey: string;
}

export interface CategoryView {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

export interface ListQuery {
  first: number;
  after?: CursorPosition;
  sort: SortKey;
  categoryId?: string;
  search?: string;
  minPrice?: number;
  maxPrice?: number;
  /** true: only products with a variant in stock; false: only products with none */
  inStock?: boolean;
}

/** Where a page starts: the sort value and id of the last item of the previous page. */
export interface CursorPosition {
  v: number | string;
  id: string;
}

export interface ListResult {
  totalCount: number;
  items: Array<{ product: IndexedProduct; position: CursorPosition }>;
  hasNextPage: boolean;
}

type Comparator = (a: IndexedProduct, b: IndexedProduct) => number;
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Sort value per ordering, and whether it ascends. Ties break on id, ascending. */
const ORDERINGS: Record<Exclude<SortKey, 'RELEVANCE'>, { value: (p: IndexedProduct) => number | string; asc: boolean }> = {
  PRICE_ASC: { value: (p) => p.minPrice.amount, asc: true },
  PRICE_DESC: { value: (p) => p.maxPrice.amount, asc: false },
  NEWEST: { value: (p) => p.createdAtMs, asc: false },
  TITLE_ASC: { value: (p) => p.titleKey, asc: true },
};

function compareValues(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparatorFor(value: (p: IndexedProduct) => number | string, asc: boolean): Comparator {
  return (a, b) => {
    const c = compareValues(value(a), value(b));
    return c !== 0 ? (asc ? c : -c) : byId(a, b);
  };
}

/** True when `pos` is strictly after the cursor position in an ordering. */
function isAfter(v: number | string, id: string, cursor: CursorPosition, asc: boolean): boolean {
  const c = compareValues(v, cursor.v);
  if (c !== 0) return asc ? c > 0 : c < 0;
  return id > cursor.id;
}

function priceBounds(variants: VariantRecord[]): { min: Money; max: Money } {
  let min = variants[0]!.price;
  let max = variants[0]!.price;
  for (const v of variants) {
    if (v.price.amount < min.amount) min = v.price;
    if (v.price.amount > max.amount) max = v.price;
  }
  return { min, max };
}

function searchableOptions(p: ProductSnapshot): string {
  return p.variants.flatMap((v) => [v.title, ...v.options.map((o) => o.value)]).join(' ');
}

export class CatalogIndex {
  private readonly products = new Map<string, IndexedProduct>();
  private readonly byHandle = new Map<string, string>();
  private readonly variantToProduct = new Map<string, string>();
  private readonly categories = new Map<string, CategoryView>();
  /** units available per variant, as inventory last reported (absent = never stocked = 0) */
  private readonly available = new Map<string, number>();
  private readonly sorted = new Map<Exclude<SortKey, 'RELEVANCE'>, IndexedProduct[]>();
  private active: number | undefined;
  private readonly search = new MiniSearch<{ id: string; title: string; description: string; options: string; handle: string }>({
    fields: ['title', 'description', 'options', 'handle'],
    storeFields: [],
    searchOptions: { boost: { title: 3, options: 1.5, handle: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' },
  });

  get size(): number {
    return this.products.size;
  }

  /** Adds or replaces a product when `snapshot.version` is newer than what is held. */
  upsertProduct(snapshot: ProductSnapshot): boolean {
    const current = this.products.get(snapshot.id);
    if (current && current.version >= snapshot.version) return false;
    if (snapshot.variants.length === 0) return false;
    const { min, max } = priceBounds(snapshot.variants);
    // Every field listed in one fixed order: all products share one hidden class, so the scans
    // of a listing stay on V8's fast property path (a spread built slow dictionary-mode objects).
    const indexed: IndexedProduct = {
      id: snapshot.id,
      handle: snapshot.handle,
      title: snapshot.title,
      description: snapshot.description,
      categoryIds: snapshot.categoryIds,
      status: snapshot.status,
      createdAt: snapshot.createdAt,
      version: snapshot.version,
      variants: snapshot.variants,
      minPrice: min,
      maxPrice: max,
      createdAtMs: Date.parse(snapshot.createdAt),
      titleKey: snapshot.title.toLocaleLowerCase('en'),
    };
    if (current) {
      this.search.discard(current.id);
      if (current.handle !== snapshot.handle) this.byHandle.delete(current.handle);
      for (const v of current.variants) this.variantToProduct.delete(v.id);
    }
    this.products.set(snapshot.id, indexed);
    this.byHandle.set(snapshot.handle, snapshot.id);
    for (const v of snapshot.variants) this.variantToProduct.set(v.id, snapshot.id);
    this.search.add({ id: snapshot.id, title: snapshot.title, description: snapshot.description, options: searchableOptions(snapshot), handle: snapshot.handle.replace(/-/g, ' ') });
    this.sorted.clear(); // re-sorted lazily on the next listing
    this.active = undefined;
    return true;
  }

  /** Applies a price change when it is the product's next version. Returns false when it could not. */
  applyPriceChange(productId: string, variantId: string, price: Money, version: number): 'applied' | 'stale' | 'gap' {
    const current = this.products.get(productId);
    if (!current) return 'gap';
    if (current.version >= version) return 'stale';
    if (current.version !== version - 1) return 'gap';
    const variants = current.variants.map((v) => (v.id === variantId ? { ...v, price } : v));
    this.upsertProduct({ ...current, variants, version });
    return 'applied';
  }

  /** records a variant's available quantity; true when the variant went in or out of stock */
  setAvailable(variantId: string, quantity: number): boolean {
    const before = (this.available.get(variantId) ?? 0) > 0;
    this.available.set(variantId, quantity);
    return before !== quantity > 0;
  }

  isInStock(p: ProductSnapshot): boolean {
    return p.variants.some((v) => (this.available.get(v.id) ?? 0) > 0);
  }

  upsertCategory(category: CategoryView): void {
    this.categories.set(category.id, category);
  }

  getProduct(id: string): IndexedProduct | undefined {
    return this.products.get(id);
  }
  getProductByHandle(handle: string): IndexedProduct | undefined {
    const id = this.byHandle.get(handle);
    return id ? this.products.get(id) : undefined;
  }
  getVariant(id: string): { product: IndexedProduct; variant: VariantRecord } | undefined {
    const pid = this.variantToProduct.get(id);
    const product = pid ? this.products.get(pid) : undefined;
    const variant = product?.variants.find((v) => v.id === id);
    return product && variant ? { product, variant } : undefined;
  }
  getCategory(id: string): CategoryView | undefined {
    return this.categories.get(id);
  }
  listCategories(): CategoryView[] {
    // roots first, then by creation: a client can build the tree in one pass
    return [...this.categories.values()].sort((a, b) => (a.parentId === null) === (b.parentId === null) ? compareValues(a.createdAt, b.createdAt) || byId(a, b) : a.parentId === null ? -1 : 1);
  }
  childrenOf(id: string): CategoryView[] {
    return [...this.categories.values()].filter((c) => c.parentId === id).sort((a, b) => compareValues(a.createdAt, b.createdAt) || byId(a, b));
  }

  /** The category and all its descendants. */
  private categoryScope(id: string): Set<string> {
    const scope = new Set<string>([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of this.categories.values()) {
        if (c.parentId && scope.has(c.parentId) && !scope.has(c.id)) {
          scope.add(c.id);
          grew = true;
        }
      }
    }
    return scope;
  }

  /** ACTIVE products, counted once per change of the catalog */
  private activeCount(): number {
    if (this.active === undefined) {
      let n = 0;
      for (const p of this.products.values()) if (p.status === 'ACTIVE') n++;
      this.active = n;
    }
    return this.active;
  }

  private sortedBy(key: Exclude<SortKey, 'RELEVANCE'>): IndexedProduct[] {
    let arr = this.sorted.get(key);
    if (!arr) {
      const o = ORDERINGS[key];
      arr = [...this.products.values()].sort(comparatorFor(o.value, o.asc));
      this.sorted.set(key, arr);
    }
    return arr;
  }

  list(q: ListQuery): ListResult {
    const scope = q.categoryId ? this.categoryScope(q.categoryId) : undefined;
    const matches = (p: IndexedProduct): boolean => {
      if (p.status !== 'ACTIVE') return false;
      if (scope && !p.categoryIds.some((c) => scope.has(c))) return false;
      if (q.inStock !== undefined && this.isInStock(p) !== q.inStock) return false;
      if (q.minPrice !== undefined || q.maxPrice !== undefined) {
        const lo = q.minPrice ?? -Infinity;
        const hi = q.maxPrice ?? Infinity;
        if (!p.variants.some((v) => v.price.amount >= lo && v.price.amount <= hi)) return false;
      }
      return true;
    };

    const terms = q.search?.trim();
    let ordered: Array<{ product: IndexedProduct; v: number | string }>;
    let asc: boolean;
    if (terms) {
      const hits = this.search.search(terms);
      const scored: Array<{ product: IndexedProduct; v: number | string }> = [];
      for (const h of hits) {
        const p = this.products.get(String(h.id));
        if (p && matches(p)) scored.push({ product: p, v: q.sort === 'RELEVANCE' ? Math.round(h.score * 1e6) / 1e6 : ORDERINGS[q.sort].value(p) });
      }
      asc = q.sort === 'RELEVANCE' ? false : ORDERINGS[q.sort].asc;
      scored.sort((a, b) => {
        const c = compareValues(a.v, b.v);
        return c !== 0 ? (asc ? c : -c) : byId(a.product, b.product);
      });
      ordered = scored;
    } else {
      // Presorted: binary-search the cursor, then one pass that counts matches and keeps only
      // the page — no per-product allocation, so a page costs O(n) cheap checks at any size.
      const key = q.sort === 'RELEVANCE' ? 'NEWEST' : q.sort;
      const o = ORDERINGS[key];
      const arr = this.sortedBy(key);
      let from = 0;
      if (q.after) {
        const after = q.after;
        let lo = 0;
        let hi = arr.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (isAfter(o.value(arr[mid]!), arr[mid]!.id, after, o.asc)) hi = mid;
          else lo = mid + 1;
        }
        from = lo;
      }
      let totalCount = 0;
      let hasNextPage = false;
      const items: ListResult['items'] = [];
      const unfiltered = !scope && q.inStock === undefined && q.minPrice === undefined && q.maxPrice === undefined;
      if (unfiltered) {
        // the usual storefront listing: the count is known, only the page is visited
        for (let i = from; i < arr.length && !hasNextPage; i++) {
          const p = arr[i]!;
          if (p.status !== 'ACTIVE') continue;
          if (items.length < q.first) items.push({ product: p, position: { v: o.value(p), id: p.id } });
          else hasNextPage = true;
        }
        return { totalCount: this.activeCount(), items, hasNextPage };
      }
      for (let i = 0; i < arr.length; i++) {
        const p = arr[i]!;
        if (!matches(p)) continue;
        totalCount++;
        if (i < from) continue;
        if (items.length < q.first) items.push({ product: p, position: { v: o.value(p), id: p.id } });
        else hasNextPage = true;
      }
      return { totalCount, items, hasNextPage };
    }

    let start = 0;
    if (q.after) {
      const after = q.after;
      start = ordered.findIndex((e) => isAfter(e.v, e.product.id, after, asc));
      if (start < 0) start = ordered.length;
    }
    const page = ordered.slice(start, start + q.first);
    return {
      totalCount: ordered.length,
      items: page.map((e) => ({ product: e.product, position: { v: e.v, id: e.product.id } })),
      hasNextPage: start + q.first < ordered.length,
    };
  }
}
