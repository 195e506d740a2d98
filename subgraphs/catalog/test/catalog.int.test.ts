import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CUSTOMER, callSubgraph, eventually, gql, serviceEnv, uniqueSuffix, testInfra, testLogger, TEST_EVENTS } from '@commerce/testing';
import { connectEventBus, startConsumer } from '@commerce/events';
import { ProductCreated, VariantPriceChanged } from '@commerce/events/contracts';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { startCatalog, type CatalogService } from '../src/index.ts';

const CREATE_PRODUCT = /* GraphQL */ `
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id handle variants { id sku } } userErrors { field message code } }
  }`;
const SET_PRICE = /* GraphQL */ `
  mutation SetVariantPrice($variantId: ID!, $price: MoneyInput!) {
    setVariantPrice(variantId: $variantId, price: $price) { variant { id price { amount currencyCode } } userErrors { field message code } }
  }`;
const CREATE_CATEGORY = /* GraphQL */ `
  mutation CreateCategory($name: String!, $parentId: ID) {
    createCategory(name: $name, parentId: $parentId) { category { id name } userErrors { field message code } }
  }`;
const LISTING = /* GraphQL */ `
  query Listing($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {
    products(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id handle title priceRange { minVariantPrice { amount currencyCode } } variants { id sku price { amount } } } }
    }
  }`;

let catalog: CatalogService;
let env: NodeJS.ProcessEnv;
const SEEDED = 1000;

function productInput(overrides: Record<string, unknown> = {}) {
  const s = uniqueSuffix();
  return {
    handle: `test-product-${s}`,
    title: `Test Product ${s}`,
    description: 'A product made by a test',
    variants: [{ sku: `TST-${s}-1`, title: 'Default', price: { amount: '19.99', currencyCode: 'USD' }, options: [{ name: 'Color', value: 'Teal' }] }],
    ...overrides,
  };
}

beforeAll(async () => {
  env = serviceEnv('catalog', { CATALOG_SEED_PRODUCTS: String(SEEDED) });
  catalog = await startCatalog(env);
}, 120_000);

afterAll(async () => {
  await catalog?.stop();
  const client = new MongoClient(testInfra().mongoUrl);
  await client.db(env.CATALOG_DB_NAME).dropDatabase().catch(() => undefined);
  await client.close();
});

describe('router-only gate', () => {
  it('answers nothing without a router context, not even _service', async () => {
    for (const query of ['{ _service { sdl } }', '{ categories { id } }', '{ _entities(representations: [{__typename: "Product", id: "x"}]) { __typename } }']) {
      const r = await gql(catalog.url, query);
      expect(r.status).toBe(401);
      expect(r.data).toBeUndefined();
    }
    const forged = await gql(catalog.url, '{ categories { id } }', {}, { 'x-commerce-context': 'eyJhbGciOiJIUzI1NiJ9.e30.forged' });
    expect(forged.status).toBe(401);
  });
});

describe('listing and search (seeded demo catalog)', () => {
  it('has at least 1,000 products in at least 10 categories', async () => {
    const r = await callSubgraph(catalog.url, '{ categories { id name parent { id } } products(first: 1) { totalCount } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.categories.length).toBeGreaterThanOrEqual(10);
    expect(r.data!.products.totalCount).toBeGreaterThanOrEqual(SEEDED);
  });

  for (const sort of ['PRICE_ASC', 'PRICE_DESC', 'NEWEST', 'TITLE_ASC', 'RELEVANCE']) {
    it(`pages 3 × 20 sorted ${sort} without duplicates and with a constant totalCount`, async () => {
      const ids: string[] = [];
      const totals = new Set<number>();
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const r: any = await callSubgraph(catalog.url, LISTING, { first: 20, after, sort });
        expect(r.errors).toBeUndefined();
        const conn = r.data.products;
        totals.add(conn.totalCount);
        ids.push(...conn.edges.map((e: any) => e.node.id));
        expect(conn.pageInfo.hasNextPage).toBe(true);
        after = conn.pageInfo.endCursor;
      }
      expect(ids).toHaveLength(60);
      expect(new Set(ids).size).toBe(60);
      expect(totals.size).toBe(1);
    });
  }

  it('orders by price correctly', async () => {
    const r: any = await callSubgraph(catalog.url, LISTING, { first: 50, sort: 'PRICE_ASC' });
    const prices = r.data.products.edges.map((e: any) => Number(e.node.priceRange.minVariantPrice.amount));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('finds a product by a word of its title', async () => {
    const listing: any = await callSubgraph(catalog.url, LISTING, { first: 1, sort: 'NEWEST' });
    const target = listing.data.products.edges[0].node;
    const word = target.title.split(' ')[2]; // e.g. "Skillet"
    const r: any = await callSubgraph(catalog.url, LISTING, { first: 100, filter: { search: `${target.title}` }, sort: 'RELEVANCE' });
    expect(r.data.products.edges[0].node.title).toBe(target.title);
    const byWord: any = await callSubgraph(catalog.url, LISTING, { first: 100, filter: { search: word } });
    expect(byWord.data.products.totalCount).toBeGreaterThan(0);
    // title matches rank first (title is boosted over description and options)
    expect(byWord.data.products.edges[0].node.title.toLowerCase()).toContain(word.toLowerCase());
  });

  it('filters by category subtree and price range', async () => {
    const cats: any = await callSubgraph(catalog.url, '{ categories { id name parent { id } } }');
    const root = cats.data.categories.find((c: any) => c.parent === null);
    const r: any = await callSubgraph(catalog.url, LISTING, { first: 5, filter: { categoryId: root.id, minPrice: '20.00', maxPrice: '40.00' } });
    expect(r.errors).toBeUndefined();
    expect(r.data.products.totalCount).toBeGreaterThan(0);
    expect(r.data.products.totalCount).toBeLessThan(SEEDED);
    for (const e of r.data.products.edges) expect(e.node.variants.some((v: any) => Number(v.price.amount) >= 20 && Number(v.price.amount) <= 40)).toBe(true);
  });

  it('answers facets for a search with filters: each category count is the totalCount of that category filter', async () => {
    const FACETS = /* GraphQL */ `
      query Facets($filter: ProductFilter) {
        products(first: 3, filter: $filter) {
          totalCount
          facets { categories { category { id name } count } priceRanges { min { amount currencyCode } max { amount } count } }
        }
      }`;
    const listing: any = await callSubgraph(catalog.url, LISTING, { first: 1, sort: 'NEWEST' });
    const word = String(listing.data.products.edges[0].node.title).split(' ')[0]!.toLowerCase();
    const filter = { search: word, minPrice: '5.00' };
    const r: any = await callSubgraph(catalog.url, FACETS, { filter });
    expect(r.errors).toBeUndefined();
    const { totalCount, facets } = r.data.products;
    expect(totalCount).toBeGreaterThan(3); // more than one page: facets count all pages
    expect(facets.categories.length).toBeGreaterThan(0);
    for (const c of facets.categories.slice(0, 4)) {
      const narrowed: any = await callSubgraph(catalog.url, FACETS, { filter: { ...filter, categoryId: c.category.id } });
      expect(narrowed.data.products.totalCount, c.category.name).toBe(c.count);
    }
    // bands in ascending order; a product counts in each band one of its variants is priced in
    const mins = facets.priceRanges.map((b: any) => Number(b.min.amount));
    expect(mins).toEqual([...mins].sort((a, b) => a - b));
    expect(facets.priceRanges.reduce((n: number, b: any) => n + b.count, 0)).toBeGreaterThanOrEqual(totalCount);
    for (const b of facets.priceRanges) expect(b.min.currencyCode).toBe('USD');
  });

  it('rejects bad listing arguments with BAD_USER_INPUT', async () => {
    const cases: Array<Record<string, unknown>> = [
      { first: 0 },
      { first: 1000 },
      { first: 5, after: 'not-a-cursor' },
      { first: 5, filter: { minPrice: '-1' } },
      { first: 5, filter: { categoryId: 'garbage' } },
      { first: 5, filter: { search: 'x'.repeat(5000) } },
    ];
    for (const vars of cases) {
      const r = await callSubgraph(catalog.url, LISTING, vars);
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
    const malformedId = await callSubgraph(catalog.url, '{ product(id: "prod_nope") { id } }');
    expect(malformedId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknownHandle = await callSubgraph(catalog.url, '{ product(handle: "no-such-product") { id } }');
    expect(unknownHandle.data).toEqual({ product: null });
  });
});

describe('admin mutations', () => {
  it('needs a token (UNAUTHENTICATED) and the ADMIN role (FORBIDDEN), changing nothing', async () => {
    const input = productInput();
    const anon = await callSubgraph(catalog.url, CREATE_PRODUCT, { input });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const customer = await callSubgraph(catalog.url, CREATE_PRODUCT, { input }, CUSTOMER);
    expect(customer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cat = await callSubgraph(catalog.url, CREATE_CATEGORY, { name: `Nope ${uniqueSuffix()}` }, CUSTOMER);
    expect(cat.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const found = await callSubgraph(catalog.url, '{ product(handle: $h) { id } }'.replace('$h', JSON.stringify(input.handle)));
    expect(found.data).toEqual({ product: null });
  });

  it('creates a product that shows in listing and search at once', async () => {
    const input = productInput({ title: `Zephyrquill Lamp ${uniqueSuffix()}` });
    const r: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input }, ADMIN);
    expect(r.data.createProduct.userErrors).toEqual([]);
    expect(r.data.createProduct.product.handle).toBe(input.handle);
    const page = await callSubgraph<any>(catalog.url, `{ product(handle: "${input.handle}") { title variants { sku price { amount currencyCode } } } }`);
    expect(page.data!.product.variants[0]).toEqual({ sku: input.variants[0]!.sku, price: { amount: '19.99', currencyCode: 'USD' } });
    const search: any = await callSubgraph(catalog.url, LISTING, { first: 5, filter: { search: 'zephyrquill' } });
    expect(search.data.products.edges.map((e: any) => e.node.handle)).toContain(input.handle);
  });

  it('answers HANDLE_TAKEN and SKU_TAKEN for duplicates', async () => {
    const first = productInput();
    await callSubgraph(catalog.url, CREATE_PRODUCT, { input: first }, ADMIN);
    const sameHandle: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ handle: first.handle }) }, ADMIN);
    expect(sameHandle.data.createProduct.userErrors.map((e: any) => e.code)).toEqual(['HANDLE_TAKEN']);
    const sameSku: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ variants: first.variants }) }, ADMIN);
    expect(sameSku.data.createProduct.userErrors.map((e: any) => e.code)).toEqual(['SKU_TAKEN']);
    expect(sameSku.data.createProduct.product).toBeNull();
  });

  it('creates exactly one product when eight admins race for one handle (FerretDB-safe)', async () => {
    const handle = `race-${uniqueSuffix()}`;
    const results: any[] = await Promise.all(
      Array.from({ length: 8 }, () => callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ handle }) }, ADMIN)),
    );
    const created = results.filter((r) => r.data.createProduct.product);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.data.createProduct.userErrors[0]?.code === 'HANDLE_TAKEN')).toHaveLength(7);
    const client = new MongoClient(testInfra().mongoUrl);
    const db = client.db(env.CATALOG_DB_NAME);
    expect(await db.collection('products').countDocuments({ handle })).toBe(1);
    // the losers released their SKU claims: only the winner's SKU is claimed
    const winnerSku = created[0].data.createProduct.product.variants[0].sku;
    const claims = await db.collection('sku_claims').find({ productId: created[0].data.createProduct.product.id }).toArray();
    expect(claims.map((c) => c._id)).toEqual([winnerSku]);
    await client.close();
  });

  it('creates exactly one product when eight admins race for one SKU', async () => {
    const sku = `RACE-${uniqueSuffix()}`;
    const results: any[] = await Promise.all(
      Array.from({ length: 8 }, () => callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ variants: [{ sku, title: 'One', price: { amount: '1.00', currencyCode: 'USD' } }] }) }, ADMIN)),
    );
    expect(results.filter((r) => r.data.createProduct.product)).toHaveLength(1);
    expect(results.filter((r) => r.data.createProduct.userErrors[0]?.code === 'SKU_TAKEN')).toHaveLength(7);
  });

  it('turns bad input into userErrors, never a 500', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [productInput({ handle: '' }), 'INVALID_HANDLE'],
      [productInput({ handle: 'Not A Handle' }), 'INVALID_HANDLE'],
      [productInput({ title: 'x'.repeat(10_000) }), 'INVALID_TITLE'],
      [productInput({ title: '   ' }), 'INVALID_TITLE'],
      [productInput({ variants: [] }), 'VARIANTS_REQUIRED'],
      [productInput({ variants: [{ sku: 'NEG-1', title: 'x', price: { amount: '-5.00', currencyCode: 'USD' } }] }), 'INVALID_PRICE'],
      [productInput({ variants: [{ sku: 'BAD-1', title: 'x', price: { amount: 'abc', currencyCode: 'USD' } }] }), 'INVALID_PRICE'],
      [productInput({ variants: [{ sku: 'CUR-1', title: 'x', price: { amount: '1.00', currencyCode: 'usd' } }] }), 'INVALID_CURRENCY'],
      [productInput({ variants: [{ sku: 'CUR-2', title: 'x', price: { amount: '1.00', currencyCode: 'EUR' } }] }), 'INVALID_CURRENCY'],
      [productInput({ variants: [{ sku: 'x'.repeat(500), title: 'x', price: { amount: '1.00', currencyCode: 'USD' } }] }), 'INVALID_SKU'],
      [productInput({ categoryIds: ['cat_doesnotexist'] }), 'CATEGORY_NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      const r: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input }, ADMIN);
      expect(r.status).toBe(200);
      expect(r.data.createProduct.product).toBeNull();
      expect(r.data.createProduct.userErrors.map((e: any) => e.code), code).toContain(code);
    }
  });

  it('reprices a variant: the listing follows and a price-changed event is published', async () => {
    const registry = new Registry();
    const bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'catalog-test', registry, consumerDefaults: TEST_EVENTS });
    const client = new MongoClient(testInfra().mongoUrl);
    const seen: Array<{ amount: number }> = [];
    const created: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput() }, ADMIN);
    const variant = created.data.createProduct.product.variants[0];
    const consumer = await startConsumer({
      bus, db: client.db(`t_catalogev_${uniqueSuffix()}`), logger: testLogger, name: `catalog-test-${uniqueSuffix()}`, contract: VariantPriceChanged, deliverFrom: 'new',
      handle: async (e) => { if (e.data.variantId === variant.id) seen.push(e.data.price); },
    });
    const r: any = await callSubgraph(catalog.url, SET_PRICE, { variantId: variant.id, price: { amount: '7.50', currencyCode: 'USD' } }, ADMIN);
    expect(r.data.setVariantPrice).toEqual({ variant: { id: variant.id, price: { amount: '7.50', currencyCode: 'USD' } }, userErrors: [] });
    const page = await callSubgraph<any>(catalog.url, `{ product(id: "${created.data.createProduct.product.id}") { priceRange { minVariantPrice { amount } } } }`);
    expect(page.data!.product.priceRange.minVariantPrice.amount).toBe('7.50');
    await eventually(async () => seen.length === 1);
    expect(seen[0]).toEqual({ amount: 750, currencyCode: 'USD' });
    await consumer.stop();
    await bus.close();
    await client.close();
  });

  it('keeps every concurrent price change of one product (no lost update)', async () => {
    const s = uniqueSuffix();
    const variants = Array.from({ length: 6 }, (_, i) => ({ sku: `MULTI-${s}-${i}`, title: `V${i}`, price: { amount: '10.00', currencyCode: 'USD' } }));
    const created: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ variants }) }, ADMIN);
    const ids: string[] = created.data.createProduct.product.variants.map((v: any) => v.id);
    const results: any[] = await Promise.all(ids.map((id, i) => callSubgraph(catalog.url, SET_PRICE, { variantId: id, price: { amount: `${20 + i}.00`, currencyCode: 'USD' } }, ADMIN)));
    for (const r of results) expect(r.data.setVariantPrice.userErrors).toEqual([]);
    const client = new MongoClient(testInfra().mongoUrl);
    const doc: any = await client.db(env.CATALOG_DB_NAME).collection('products').findOne({ _id: created.data.createProduct.product.id });
    expect(doc.variants.map((v: any) => v.price.amount)).toEqual([2000, 2100, 2200, 2300, 2400, 2500]);
    expect(doc.version).toBe(7);
    await client.close();
  });

  it('answers VARIANT_NOT_FOUND and INVALID_PRICE for bad repricing input', async () => {
    const unknown: any = await callSubgraph(catalog.url, SET_PRICE, { variantId: 'var_doesnotexist', price: { amount: '1.00', currencyCode: 'USD' } }, ADMIN);
    expect(unknown.data.setVariantPrice.userErrors[0].code).toBe('VARIANT_NOT_FOUND');
    const created: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput() }, ADMIN);
    const negative: any = await callSubgraph(catalog.url, SET_PRICE, { variantId: created.data.createProduct.product.variants[0].id, price: { amount: '-1', currencyCode: 'USD' } }, ADMIN);
    expect(negative.data.setVariantPrice.userErrors[0].code).toBe('INVALID_PRICE');
  });

  it('creates categories in a tree, refusing duplicates among siblings and unknown parents', async () => {
    const name = `Gadgets ${uniqueSuffix()}`;
    const root: any = await callSubgraph(catalog.url, CREATE_CATEGORY, { name }, ADMIN);
    expect(root.data.createCategory.userErrors).toEqual([]);
    const rootId = root.data.createCategory.category.id;
    const child: any = await callSubgraph(catalog.url, CREATE_CATEGORY, { name: 'Phones', parentId: rootId }, ADMIN);
    expect(child.data.createCategory.userErrors).toEqual([]);
    const dup: any = await callSubgraph(catalog.url, CREATE_CATEGORY, { name: name.toUpperCase() }, ADMIN);
    expect(dup.data.createCategory.userErrors[0].code).toBe('NAME_TAKEN');
    const orphan: any = await callSubgraph(catalog.url, CREATE_CATEGORY, { name: 'Orphan', parentId: 'cat_nope' }, ADMIN);
    expect(orphan.data.createCategory.userErrors[0].code).toBe('CATEGORY_NOT_FOUND');
    const empty: any = await callSubgraph(catalog.url, CREATE_CATEGORY, { name: '' }, ADMIN);
    expect(empty.data.createCategory.userErrors[0].code).toBe('INVALID_NAME');
    const tree: any = await callSubgraph(catalog.url, '{ categories { id name parent { id } } }');
    expect(tree.data.categories.find((c: any) => c.id === child.data.createCategory.category.id).parent).toEqual({ id: rootId });
  });
});

describe('a second catalog instance', () => {
  it('sees products created and repriced on the first within a second (events)', async () => {
    const second = await startCatalog({ ...env, CATALOG_SEED_PRODUCTS: '0' });
    try {
      const input = productInput({ title: `Quokkabright Torch ${uniqueSuffix()}` });
      const created: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input }, ADMIN);
      const variantId = created.data.createProduct.product.variants[0].id;
      const started = Date.now();
      await eventually(async () => {
        const r: any = await callSubgraph(second.url, LISTING, { first: 5, filter: { search: 'quokkabright' } });
        return r.data.products.edges.some((e: any) => e.node.handle === input.handle);
      }, 1000, 20);
      await callSubgraph(catalog.url, SET_PRICE, { variantId, price: { amount: '3.25', currencyCode: 'USD' } }, ADMIN);
      await eventually(async () => {
        const r: any = await callSubgraph(second.url, `{ product(handle: "${input.handle}") { priceRange { minVariantPrice { amount } } } }`);
        return r.data.product?.priceRange.minVariantPrice.amount === '3.25';
      }, 1000, 20);
      testLogger.info({ ms: Date.now() - started }, 'converged');
    } finally {
      await second.stop();
    }
  });

  it('publishes a product-created event for every product', async () => {
    const registry = new Registry();
    const bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'catalog-test2', registry, consumerDefaults: TEST_EVENTS });
    const client = new MongoClient(testInfra().mongoUrl);
    const handles: string[] = [];
    const consumer = await startConsumer({
      bus, db: client.db(`t_catalogev_${uniqueSuffix()}`), logger: testLogger, name: `catalog-created-${uniqueSuffix()}`, contract: ProductCreated, deliverFrom: 'new',
      handle: async (e) => { handles.push(e.data.handle); },
    });
    const input = productInput();
    await callSubgraph(catalog.url, CREATE_PRODUCT, { input }, ADMIN);
    await eventually(async () => handles.includes(input.handle));
    await consumer.stop();
    await bus.close();
    await client.close();
  });
});

describe('inStock filter (inventory events)', () => {
  it('follows stock-level events, on this instance and after a restart', async () => {
    const { StockLevelChanged } = await import('@commerce/events/contracts');
    const bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'catalog-stock-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
    const word = `Brindlewick${uniqueSuffix()}`;
    const created: any = await callSubgraph(catalog.url, CREATE_PRODUCT, { input: productInput({ title: `${word} Candle` }) }, ADMIN);
    const variantId = created.data.createProduct.product.variants[0].id;
    const inStock = async (url: string, flag: boolean) => {
      const r: any = await callSubgraph(url, LISTING, { first: 5, filter: { search: word, inStock: flag } });
      return r.data.products.totalCount as number;
    };
    expect(await inStock(catalog.url, true)).toBe(0); // never stocked
    expect(await inStock(catalog.url, false)).toBe(1);
    await bus.publish(StockLevelChanged.create({ variantId, locationId: 'loc_default', onHand: 5, reserved: 0, available: 5, version: 1 }, { aggregateId: variantId }));
    await eventually(async () => (await inStock(catalog.url, true)) === 1, 2000, 20);
    expect(await inStock(catalog.url, false)).toBe(0);
    // a new instance learns it from what the serial consumer stored
    const client = new MongoClient(testInfra().mongoUrl);
    await eventually(async () => !!(await client.db(env.CATALOG_DB_NAME).collection('variant_stock').findOne({ _id: variantId as never })));
    await client.close();
    const second = await startCatalog({ ...env, CATALOG_SEED_PRODUCTS: '0' });
    try {
      expect(await inStock(second.url, true)).toBe(1);
    } finally {
      await second.stop();
      await bus.close();
    }
  });
});
