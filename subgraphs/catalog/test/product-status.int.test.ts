import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { connectEventBus, type EventBus, type OutboxEntry } from '@commerce/events';
import { ProductStatusChanged } from '@commerce/events/contracts';
import { createRedis, RESPONSE_CACHE_GENERATION_KEY, type Redis } from '@commerce/platform';
import { ADMIN, CUSTOMER, callSubgraph, eventually, observeEvents, serviceEnv, testInfra, uniqueSuffix, waitQuiet, TEST_EVENTS, type EventObserver } from '@commerce/testing';
import { startCatalog, type CatalogService } from '../src/index.ts';

const CREATE_PRODUCT = /* GraphQL */ `
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id handle variants { id } } userErrors { field message code } }
  }`;
/** the contract operation (test/contract/intelligence.graphql) */
const SET_STATUS = /* GraphQL */ `
  mutation SetProductStatus($productId: ID!, $status: ProductStatus!) {
    setProductStatus(productId: $productId, status: $status) {
      product { id status }
      userErrors { field message code }
    }
  }`;
const SEARCH = /* GraphQL */ `
  query Search($first: Int!, $filter: ProductFilter, $sort: ProductSort) {
    products(first: $first, filter: $filter, sort: $sort) { totalCount edges { node { id status } } }
  }`;
const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id status title } } }`;

let catalog: CatalogService;
let env: NodeJS.ProcessEnv;
let bus: EventBus;
/** every product-status-changed on the stream since the start, copies included */
let observer: EventObserver;
let redis: Redis;
let mongo: MongoClient;

beforeAll(async () => {
  env = serviceEnv('catalog', { CATALOG_SEED_PRODUCTS: '0' });
  catalog = await startCatalog(env);
  bus = await connectEventBus({ natsUrl: testInfra().natsUrl, name: 'catalog-status-test', registry: new Registry(), consumerDefaults: TEST_EVENTS });
  observer = await observeEvents({ bus, subject: ProductStatusChanged.subject });
  redis = createRedis(testInfra().redisUrl);
  mongo = new MongoClient(testInfra().mongoUrl);
}, 120_000);

afterAll(async () => {
  await observer?.stop();
  await bus?.close();
  await catalog?.stop();
  redis?.disconnect();
  await mongo?.db(env.CATALOG_DB_NAME).dropDatabase().catch(() => undefined);
  await mongo?.close();
});

/** A new ACTIVE product whose title holds a word no other product has. */
async function newProduct(url = catalog.url) {
  const word = `Quillfern${uniqueSuffix().replace(/[^a-z0-9]/gi, '')}`;
  const s = uniqueSuffix();
  const input = {
    handle: `status-test-${s}`,
    title: `${word} Lantern`,
    description: 'A product made by a status test',
    variants: [{ sku: `STS-${s}-1`, title: 'Default', price: { amount: '12.00', currencyCode: 'USD' } }],
  };
  const r: any = await callSubgraph(url, CREATE_PRODUCT, { input }, ADMIN);
  expect(r.data.createProduct.userErrors).toEqual([]);
  return { id: r.data.createProduct.product.id as string, handle: input.handle, word };
}

const setStatus = (productId: string, status: 'ACTIVE' | 'ARCHIVED', user: typeof ADMIN | typeof CUSTOMER | null = ADMIN, url = catalog.url) =>
  callSubgraph<any>(url, SET_STATUS, { productId, status }, user);
const searchIds = async (word: string, url = catalog.url, sort = 'RELEVANCE') => {
  const r: any = await callSubgraph(url, SEARCH, { first: 10, filter: { search: word }, sort });
  expect(r.errors).toBeUndefined();
  return r.data.products.edges.map((e: any) => e.node.id) as string[];
};
const newestIds = async (url = catalog.url) => {
  const r: any = await callSubgraph(url, SEARCH, { first: 100, sort: 'NEWEST' });
  return { ids: r.data.products.edges.map((e: any) => e.node.id) as string[], totalCount: r.data.products.totalCount as number };
};
const eventsOf = (productId: string) => observer.seen.filter((e) => e.aggregateId === productId).map((e) => ProductStatusChanged.parse(e));
const storedVersion = async (productId: string) => ((await mongo.db(env.CATALOG_DB_NAME).collection('products').findOne({ _id: productId as never })) as any)?.version;
const outboxVersions = async (productId: string) =>
  (await mongo.db(env.CATALOG_DB_NAME).collection<OutboxEntry>('outbox').find({ aggregateId: productId }).toArray()).map((e) => [e.version, e.events.map((ev) => ev.type)]);

describe('setProductStatus', () => {
  it('archives: gone from listing and search at once, published once; activating brings it back', async () => {
    const p = await newProduct();
    expect(await searchIds(p.word)).toEqual([p.id]);
    const before = await newestIds();
    expect(before.ids).toContain(p.id);
    const generation = Number((await redis.get(RESPONSE_CACHE_GENERATION_KEY)) ?? 0);

    const archived = await setStatus(p.id, 'ARCHIVED');
    expect(archived.errors).toBeUndefined();
    expect(archived.data.setProductStatus).toEqual({ product: { id: p.id, status: 'ARCHIVED' }, userErrors: [] });
    // at once, on this instance: no listing, no search (every ordering), one fewer in the count
    for (const sort of ['RELEVANCE', 'NEWEST', 'PRICE_ASC']) expect(await searchIds(p.word, catalog.url, sort), sort).toEqual([]);
    const after = await newestIds();
    expect(after.ids).not.toContain(p.id);
    expect(after.totalCount).toBe(before.totalCount - 1);
    // the storefront's product page says nothing (Query.product: "null when unknown or archived")…
    const page: any = await callSubgraph(catalog.url, `{ byId: product(id: "${p.id}") { id } byHandle: product(handle: "${p.handle}") { id } }`);
    expect(page.data).toEqual({ byId: null, byHandle: null });
    // …while the entity still resolves, with its status (order history, carts)
    const entity: any = await callSubgraph(catalog.url, ENTITIES, { representations: [{ __typename: 'Product', id: p.id }] });
    expect(entity.data._entities).toEqual([{ id: p.id, status: 'ARCHIVED', title: `${p.word} Lantern` }]);

    // the event: once, with the product's new version
    expect(await storedVersion(p.id)).toBe(2);
    await eventually(async () => eventsOf(p.id).length === 1);
    expect(eventsOf(p.id)[0]!.data).toMatchObject({ productId: p.id, status: 'ARCHIVED', version: 2 });
    expect(Date.parse(eventsOf(p.id)[0]!.data.changedAt)).not.toBeNaN();
    // the router's cached responses were retired (the projection bumps the generation)
    await eventually(async () => Number(await redis.get(RESPONSE_CACHE_GENERATION_KEY)) > generation);

    // the status it already has: nothing changes, nothing is published
    const again = await setStatus(p.id, 'ARCHIVED');
    expect(again.data.setProductStatus).toEqual({ product: { id: p.id, status: 'ARCHIVED' }, userErrors: [] });
    expect(await storedVersion(p.id)).toBe(2);

    const active = await setStatus(p.id, 'ACTIVE');
    expect(active.data.setProductStatus).toEqual({ product: { id: p.id, status: 'ACTIVE' }, userErrors: [] });
    expect(await searchIds(p.word)).toEqual([p.id]);
    expect((await newestIds()).ids).toContain(p.id);
    const back: any = await callSubgraph(catalog.url, `{ product(handle: "${p.handle}") { id status } }`);
    expect(back.data.product).toEqual({ id: p.id, status: 'ACTIVE' });

    await eventually(async () => eventsOf(p.id).length === 2);
    // everything the catalog committed is published and seen: a stray event of the repeated ARCHIVED would be counted
    await waitQuiet({ bus, durables: [observer], dbs: [mongo.db(env.CATALOG_DB_NAME)] });
    expect(eventsOf(p.id).map((e) => [e.data.status, e.data.version])).toEqual([['ARCHIVED', 2], ['ACTIVE', 3]]);
    expect(await outboxVersions(p.id)).toEqual([
      [1, ['commerce.catalog.product-created.v1']],
      [2, [ProductStatusChanged.type]],
      [3, [ProductStatusChanged.type]],
    ]);
  });

  it('another instance follows within moments (events), also a price change after it', async () => {
    const second = await startCatalog({ ...env, CATALOG_SEED_PRODUCTS: '0' });
    try {
      const p = await newProduct();
      await eventually(async () => (await searchIds(p.word, second.url)).length === 1, 2000, 20);
      await setStatus(p.id, 'ARCHIVED');
      await eventually(async () => (await searchIds(p.word, second.url)).length === 0, 2000, 20);
      expect((await newestIds(second.url)).ids).not.toContain(p.id);
      expect(second.deps.index.getProduct(p.id)).toMatchObject({ status: 'ARCHIVED', version: 2 });
      // changed on the second, seen by the first
      const r = await setStatus(p.id, 'ACTIVE', ADMIN, second.url);
      expect(r.data.setProductStatus.userErrors).toEqual([]);
      await eventually(async () => (await searchIds(p.word)).length === 1, 2000, 20);
      expect(catalog.deps.index.getProduct(p.id)).toMatchObject({ status: 'ACTIVE', version: 3 });
    } finally {
      await second.stop();
    }
  });

  it('keeps every change when status and price change concurrently (version commits)', async () => {
    const p = await newProduct();
    const variantId = ((await callSubgraph<any>(catalog.url, `{ product(id: "${p.id}") { variants { id } } }`)).data!.product.variants[0].id) as string;
    const SET_PRICE = `mutation($v: ID!, $p: MoneyInput!) { setVariantPrice(variantId: $v, price: $p) { userErrors { code } } }`;
    const [status, price] = await Promise.all([
      setStatus(p.id, 'ARCHIVED'),
      callSubgraph<any>(catalog.url, SET_PRICE, { v: variantId, p: { amount: '8.00', currencyCode: 'USD' } }, ADMIN),
    ]);
    expect(status.data.setProductStatus.userErrors).toEqual([]);
    expect(price.data!.setVariantPrice.userErrors).toEqual([]);
    const doc: any = await mongo.db(env.CATALOG_DB_NAME).collection('products').findOne({ _id: p.id as never });
    expect(doc).toMatchObject({ status: 'ARCHIVED', version: 3, variants: [{ price: { amount: 800 } }] });
    await eventually(async () => catalog.deps.index.getProduct(p.id)?.version === 3);
    expect(catalog.deps.index.getProduct(p.id)).toMatchObject({ status: 'ARCHIVED', minPrice: { amount: 800 } });
  });

  it('is ADMIN only: anonymous UNAUTHENTICATED, a customer FORBIDDEN, nothing changes', async () => {
    const p = await newProduct();
    const anon = await setStatus(p.id, 'ARCHIVED', null);
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const customer = await setStatus(p.id, 'ARCHIVED', CUSTOMER);
    expect(customer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(customer.data?.setProductStatus ?? null).toBeNull();
    expect(await searchIds(p.word)).toEqual([p.id]);
    expect(await storedVersion(p.id)).toBe(1);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown or malformed id', async () => {
    for (const productId of ['prod_doesnotexist00000000000000', 'not-an-id', 'var_x']) {
      const r = await setStatus(productId, 'ARCHIVED');
      expect(r.errors).toBeUndefined();
      expect(r.data.setProductStatus).toEqual({ product: null, userErrors: [{ field: ['productId'], message: 'Product not found', code: 'PRODUCT_NOT_FOUND' }] });
    }
  });
});
