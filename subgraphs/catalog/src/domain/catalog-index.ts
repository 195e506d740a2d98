import { currencyExponent, type Money } from '@commerce/platform';
import type { ProductSnapshot, VariantRecord } from './product.ts';
import { ProductSearchIndex, type SearchDocument } from './search-index.ts';

/**
 * The storefront's read model: every product in memory, with a full-text index
 * (ProductSearchIndex: BM25-like ranking over pre-ranked posting lists, prefix and typo matching)
 * and one presorted array per ordering. Listing, search, facets and lookups never touch the
 * database (which, on FerretDB, would scan the collection).
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
  /** facets of the whole filtered result (every page); computed on the first call only */
  facets: () => Facets;
}

/** Counts over a listing's whole result set (all filters and the search applied). */
export interface Facets {
  /** per category: matching products in it or in one of its subcategories; count desc, then id */
  categories: Array<{ categoryId: string; count: number }>;
  /** per price band (minor units; max exclusive, null = open): products with a variant priced in it */
  priceRanges: Array<{ min: number; max: number | null; count: number }>;
}

/** Lower edges of the price bands in major units; the last band is open-ended. */
const PRICE_BAND_EDGES = [0, 10, 25, 50, 100, 250, 500, 1000];
const bandEdgesByCurrency = new Map<string, number[]>();

/** The band edges in a currency's minor units. */
function bandEdges(currencyCode: string): number[] {
  let edges = bandEdgesByCurrency.get(currencyCode);
  if (!edges) {
    const exponent = currencyExponent(currencyCode) ?? 2; // a malformed code: 2, as formatAmount does
    edges = PRICE_BAND_EDGES.map((e) => e * 10 ** exponent);
    bandEdgesByCurrency.set(currencyCode, edges);
  }
  return edges;
}

const NO_FACETS: Facets = { categories: [], priceRanges: [] };

/** `f`, evaluated on the first call only */
function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
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

function searchDocument(p: ProductSnapshot): SearchDocument {
  return { id: p.id, title: p.title, description: p.description, options: searchableOptions(p), handle: p.handle.replace(/-/g, ' ') };
}

const sameSearchText = (a: SearchDocument, b: SearchDocument) =>
  a.title === b.title && a.description === b.description && a.options === b.options && a.handle === b.handle;

/**
 * Keeps the `size` best items of a stream under `cmp` (ascending = best first) in a max-heap, so a
 * page is selected from n items in O(n log size) without sorting them all.
 */
function selectBest<T>(items: Iterable<T>, size: number, cmp: (a: T, b: T) => number): T[] {
  const heap: T[] = [];
  if (size <= 0) return heap;
  const down = (i: number) => {
    const x = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= heap.length) break;
      if (c + 1 < heap.length && cmp(heap[c + 1]!, heap[c]!) > 0) c++;
      if (cmp(heap[c]!, x) <= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = x;
  };
  for (const item of items) {
    if (heap.length < size) {
      let i = heap.length;
      heap.push(item);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (cmp(heap[p]!, item) >= 0) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = item;
    } else if (cmp(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(cmp);
}

/**
 * Per-product facet data in typed arrays, indexed by the product's slot (a dense number given on
 * first insert and kept: the index never drops a product). Counting facets over a result set then
 * reads a few array cells per product instead of chasing its category and variant objects.
 */
class FacetColumns {
  /** 1 when the product is ACTIVE */
  active = new Uint8Array(1024);
  /** the product's category number; -1 for none, -2 for several (in `several`) */
  private category = new Int32Array(1024);
  /** bit b set: a variant is priced in band b */
  private bands = new Uint8Array(1024);
  private readonly several = new Map<number, number[]>();
  private readonly categoryNumbers = new Map<string, number>();
  private readonly categoryIds: string[] = [];
  /** the currency of the band edges (the store has one) */
  private currency = 'USD';

  numberOf(categoryId: string): number {
    let n = this.categoryNumbers.get(categoryId);
    if (n === undefined) {
      n = this.categoryIds.length;
      this.categoryNumbers.set(categoryId, n);
      this.categoryIds.push(categoryId);
    }
    return n;
  }

  set(slot: number, p: IndexedProduct): void {
    if (slot >= this.active.length) {
      const size = Math.max(slot + 1, this.active.length * 2);
      const active = new Uint8Array(size);
      active.set(this.active);
      this.active = active;
      const category = new Int32Array(size);
      category.set(this.category);
      this.category = category;
      const bands = new Uint8Array(size);
      bands.set(this.bands);
      this.bands = bands;
    }
    this.active[slot] = p.status === 'ACTIVE' ? 1 : 0;
    const numbers = [...new Set(p.categoryIds.map((c) => this.numberOf(c)))];
    this.several.delete(slot);
    if (numbers.length > 1) this.several.set(slot, numbers);
    this.category[slot] = numbers.length === 0 ? -1 : numbers.length === 1 ? numbers[0]! : -2;
    let mask = 0;
    for (const v of p.variants) {
      const edges = bandEdges(v.price.currencyCode);
      this.currency = v.price.currencyCode;
      let b = edges.length - 1;
      while (b > 0 && v.price.amount < edges[b]!) b--;
      if (v.price.amount >= 0) mask |= 1 << b;
    }
    this.bands[slot] = mask;
  }

  /**
   * Facets of the slots `each` visits. A product in one category (the usual case) adds 1 to that
   * category; the counts then flow up the ancestor chains once per category, not per product.
   * A product in several categories counts once in each category of the union of their chains.
   */
  count(each: (visit: (slot: number) => void) => void, parentOf: (categoryId: string) => string | null | undefined): Facets {
    const chains: number[][] = [];
    for (let c = 0; c < this.categoryIds.length; c++) {
      const chain: number[] = [];
      const seen = new Set<string>();
      let id: string | null | undefined = this.categoryIds[c];
      while (id && !seen.has(id)) {
        seen.add(id);
        chain.push(this.numberOf(id));
        id = parentOf(id);
      }
      chains.push(chain);
    }
    const n = this.categoryIds.length;
    const direct = new Int32Array(n);
    const counts = new Int32Array(n);
    const stamps = new Int32Array(n);
    const bandCounts = new Int32Array(PRICE_BAND_EDGES.length);
    const { category, bands, several } = this;
    let serial = 0;
    each((slot) => {
      const c = category[slot]!;
      if (c >= 0) direct[c]!++;
      else if (c === -2) {
        serial++;
        for (const x of several.get(slot)!) {
          for (const a of chains[x]!) {
            if (stamps[a] !== serial) {
              stamps[a] = serial;
              counts[a]!++;
            }
          }
        }
      }
      let m = bands[slot]!;
      while (m !== 0) {
        const low = m & -m;
        bandCounts[31 - Math.clz32(low)]!++;
        m ^= low;
      }
    });
    for (let c = 0; c < n; c++) if (direct[c]! > 0) for (const a of chains[c]!) counts[a]! += direct[c]!;

    const categories: Facets['categories'] = [];
    for (let c = 0; c < n; c++) if (counts[c]! > 0) categories.push({ categoryId: this.categoryIds[c]!, count: counts[c]! });
    categories.sort((a, b) => b.count - a.count || compareValues(a.categoryId, b.categoryId));
    const edges = bandEdges(this.currency);
    const priceRanges: Facets['priceRanges'] = [];
    for (let b = 0; b < bandCounts.length; b++) {
      if (bandCounts[b]! > 0) priceRanges.push({ min: edges[b]!, max: edges[b + 1] ?? null, count: bandCounts[b]! });
    }
    return { categories, priceRanges };
  }
}

export class CatalogIndex {
  private readonly products = new Map<string, IndexedProduct>();
  private readonly byHandle = new Map<string, string>();
  private readonly variantToProduct = new Map<string, string>();
  private readonly categories = new Map<string, CategoryView>();
  /** units available per variant, as inventory last reported (absent = never stocked = 0) */
  private readonly available = new Map<string, number>();
  private readonly sorted = new Map<Exclude<SortKey, 'RELEVANCE'>, IndexedProduct[]>();
  /** per ordering, the slots of the presorted products (same positions) */
  private readonly sortedSlots = new Map<Exclude<SortKey, 'RELEVANCE'>, Int32Array>();
  private active: number | undefined;
  private readonly search = new ProductSearchIndex();
  /** every product by slot (see FacetColumns); the search index tags its documents with it */
  private readonly slotOf = new Map<string, number>();
  private readonly bySlot: IndexedProduct[] = [];
  private readonly columns = new FacetColumns();
  /** facets of the unfiltered listing, until the next product or category change */
  private allFacets: Facets | undefined;

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
      if (current.handle !== snapshot.handle) this.byHandle.delete(current.handle);
      for (const v of current.variants) this.variantToProduct.delete(v.id);
    }
    this.products.set(snapshot.id, indexed);
    this.byHandle.set(snapshot.handle, snapshot.id);
    for (const v of snapshot.variants) this.variantToProduct.set(v.id, snapshot.id);
    let slot = this.slotOf.get(snapshot.id);
    if (slot === undefined) {
      slot = this.bySlot.length;
      this.slotOf.set(snapshot.id, slot);
    }
    this.bySlot[slot] = indexed;
    this.columns.set(slot, indexed);
    // a price change leaves the words alone: no need to re-index them
    const doc = searchDocument(snapshot);
    if (!current || !sameSearchText(searchDocument(current), doc)) this.search.add(doc, slot); // add replaces
    this.sorted.clear(); // re-sorted lazily on the next listing
    this.sortedSlots.clear();
    this.active = undefined;
    this.allFacets = undefined;
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

  /**
   * Applies a status change (ARCHIVED leaves listing, search and facets; ACTIVE brings the product
   * back) when it is the product's next version. Lookups by id and handle keep the product either
   * way (the entity resolves for order history).
   */
  applyStatusChange(productId: string, status: ProductSnapshot['status'], version: number): 'applied' | 'stale' | 'gap' {
    const current = this.products.get(productId);
    if (!current) return 'gap';
    if (current.version >= version) return 'stale';
    if (current.version !== version - 1) return 'gap';
    this.upsertProduct({ ...current, status, version });
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
    this.columns.numberOf(category.id);
    if (category.parentId) this.columns.numberOf(category.parentId);
    this.allFacets = undefined;
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
    const unfiltered = !scope && q.inStock === undefined && q.minPrice === undefined && q.maxPrice === undefined;

    const terms = q.search?.trim();
    if (terms) return this.searchList(q, terms, unfiltered ? undefined : matches);

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
    if (!unfiltered) return this.filteredList(q, key, arr, from, matches);
    // the usual storefront listing: the count is known, only the page is visited
    let hasNextPage = false;
    const items: ListResult['items'] = [];
    for (let i = from; i < arr.length && !hasNextPage; i++) {
      const p = arr[i]!;
      if (p.status !== 'ACTIVE') continue;
      if (items.length < q.first) items.push({ product: p, position: { v: o.value(p), id: p.id } });
      else hasNextPage = true;
    }
    return { totalCount: this.activeCount(), items, hasNextPage, facets: () => this.unfilteredFacets() };
  }

  /**
   * A filtered listing without a search: one pass over the presorted products counts the matches,
   * keeps the page and marks the matching slots in a bitset, so facets (if asked for) visit only
   * the matches.
   */
  private filteredList(q: ListQuery, key: Exclude<SortKey, 'RELEVANCE'>, arr: IndexedProduct[], from: number, matches: (p: IndexedProduct) => boolean): ListResult {
    const o = ORDERINGS[key];
    let slots = this.sortedSlots.get(key);
    if (!slots) {
      const slotOf = this.slotOf;
      slots = Int32Array.from(arr, (p) => slotOf.get(p.id)!);
      this.sortedSlots.set(key, slots);
    }
    const hits = new Uint32Array((this.bySlot.length + 31) >>> 5);
    let totalCount = 0;
    let hasNextPage = false;
    const items: ListResult['items'] = [];
    for (let i = 0; i < arr.length; i++) {
      const p = arr[i]!;
      if (!matches(p)) continue;
      const slot = slots[i]!;
      hits[slot >>> 5]! |= 1 << (slot & 31);
      totalCount++;
      if (i < from) continue;
      if (items.length < q.first) items.push({ product: p, position: { v: o.value(p), id: p.id } });
      else hasNextPage = true;
    }
    const facets = once(() =>
      this.facetsOf((visit) => {
        for (let w = 0; w < hits.length; w++) {
          let x = hits[w]! | 0;
          while (x !== 0) {
            const low = x & -x;
            visit((w << 5) + 31 - Math.clz32(low));
            x ^= low;
          }
        }
      }),
    );
    return { totalCount, items, hasNextPage, facets };
  }

  /**
   * A listing with a search: the match set is counted and faceted without scoring; RELEVANCE
   * ranks only what the page needs (top-k with early termination), other orderings select the
   * page from the filtered hits with a bounded heap. `matches` is undefined when no filter is set.
   */
  private searchList(q: ListQuery, terms: string, matches: ((p: IndexedProduct) => boolean) | undefined): ListResult {
    const match = this.search.match(terms);
    if (!match) return { totalCount: 0, items: [], hasNextPage: false, facets: () => NO_FACETS };
    const { products, bySlot, columns } = this;
    // hits arrive as slots (the search index's tags): no lookup by id per hit
    const eachHit = (visit: (slot: number) => void) => {
      if (matches) match.forEachTag((slot) => matches(bySlot[slot]!) && visit(slot));
      else {
        const active = columns.active;
        match.forEachTag((slot) => active[slot] === 1 && visit(slot));
      }
    };
    const facets = once(() => this.facetsOf(eachHit));
    let totalCount = 0;

    if (q.sort === 'RELEVANCE') {
      eachHit(() => totalCount++);
      const after = q.after ? { score: Number(q.after.v), id: q.after.id } : undefined;
      const accept = (id: string) => {
        const p = products.get(id);
        return p !== undefined && (matches ? matches(p) : p.status === 'ACTIVE');
      };
      const top = match.top(q.first + 1, accept, after);
      const items = top.slice(0, q.first).map((h) => ({ product: products.get(h.id)!, position: { v: h.score, id: h.id } }));
      return { totalCount, items, hasNextPage: top.length > q.first, facets };
    }

    const o = ORDERINGS[q.sort];
    const after = q.after;
    const rest: IndexedProduct[] = [];
    eachHit((slot) => {
      totalCount++;
      const p = bySlot[slot]!;
      if (!after || isAfter(o.value(p), p.id, after, o.asc)) rest.push(p);
    });
    const page = selectBest(rest, q.first, comparatorFor(o.value, o.asc));
    return {
      totalCount,
      items: page.map((p) => ({ product: p, position: { v: o.value(p), id: p.id } })),
      hasNextPage: rest.length > q.first,
      facets,
    };
  }

  /** Facets of the unfiltered listing (every ACTIVE product), kept until the catalog changes. */
  private unfilteredFacets(): Facets {
    if (!this.allFacets) {
      const active = this.columns.active;
      const n = this.bySlot.length;
      this.allFacets = this.facetsOf((visit) => {
        for (let slot = 0; slot < n; slot++) if (active[slot] === 1) visit(slot);
      });
    }
    return this.allFacets;
  }

  /** Category and price-band counts over the product slots `each` visits. */
  private facetsOf(each: (visit: (slot: number) => void) => void): Facets {
    return this.columns.count(each, (id) => this.categories.get(id)?.parentId);
  }
}
