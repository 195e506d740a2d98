import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, gql, uniqueSuffix } from '@commerce/testing';
import { startRouter, type RunningRouter } from '@commerce/router';
import { apiSchemaOf, generateManifest, type PersistedQueryManifest } from '../../scripts/lib/manifest.ts';
import { contractOperation, send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * The edge through the whole platform: partner safelists, cost-based rate limiting shared by
 * router instances, and the response cache with event-driven invalidation.
 */
let platform: Platform;
let shop: Shop;
let manifest: PersistedQueryManifest;
const extraRouters: RunningRouter[] = [];

const ROOT = join(import.meta.dirname, '..', '..');
/** a client address of its own per run: buckets outlive a run by their refill time */
const clientIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

beforeAll(async () => {
  platform = await startPlatform({
    seedProducts: 30,
    routerEnv: { RESPONSE_CACHE_ENABLED: 'true', ROUTER_TRUSTED_PROXIES: 'loopback', RATE_LIMIT_ANONYMOUS: '5000:250' },
  });
  shop = new Shop(platform);
  manifest = generateManifest(join(ROOT, 'schema', 'partners', 'sample-partner'), apiSchemaOf(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8')));
}, 120_000);
afterAll(async () => {
  await Promise.all(extraRouters.map((r) => r.stop()));
  await platform?.stop();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }>; extensions?: any };
  return { status: res.status, headers: res.headers, ...json };
}

const byId = (name: string) => manifest.operations.find((o) => o.name === name)!;
const persisted = (name: string, variables: Record<string, unknown> = {}) => ({
  operationName: name,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: byId(name).id } },
});

describe('partners and safelists', () => {
  let partner: { id: string; apiKey: string; keyId: string };

  beforeAll(async () => {
    const admin = await shop.admin();
    const r = await gql<any>(platform.router.url, 'mutation ($name: String!) { createPartner(name: $name) { partner { id name apiKeys { id prefix revokedAt } } apiKey userErrors { code } } }', { name: `Partner ${uniqueSuffix()}` }, { authorization: `Bearer ${admin}` });
    const created = r.data!.createPartner;
    expect(created.userErrors).toEqual([]);
    expect(created.apiKey).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
    expect(created.partner.apiKeys[0].prefix).toBe(created.apiKey.slice(0, 10));
    partner = { id: created.partner.id, apiKey: created.apiKey, keyId: created.partner.apiKeys[0].id };
    const published = await gql<any>(
      platform.router.url,
      'mutation ($id: ID!, $m: String!) { publishPersistedQueries(partnerId: $id, manifest: $m) { operationCount userErrors { code field } } }',
      { id: partner.id, m: JSON.stringify(manifest) },
      { authorization: `Bearer ${admin}` },
    );
    expect(published.data!.publishPersistedQueries).toEqual({ operationCount: 3, userErrors: [] });
  });

  it('are managed by admins only, with names unique and the key stored hashed', async () => {
    const customer = await shop.customer();
    const denied = await gql<any>(platform.router.url, 'mutation { createPartner(name: "Sneaky") { apiKey } }', {}, { authorization: `Bearer ${customer.token}` });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql<any>(platform.router.url, 'mutation { createPartner(name: "Sneaky") { apiKey } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const admin = await shop.admin();
    const name = `Dup ${uniqueSuffix()}`;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => gql<any>(platform.router.url, 'mutation ($name: String!) { createPartner(name: $name) { apiKey userErrors { code } } }', { name: name.toUpperCase() }, { authorization: `Bearer ${admin}` })),
    );
    expect(results.filter((r) => r.data!.createPartner.apiKey).length).toBe(1);
    expect(results.filter((r) => r.data!.createPartner.userErrors[0]?.code === 'NAME_TAKEN').length).toBe(3);

    const stored = await platform.customers.conn.collection('partners').findOne({ _id: partner.id } as never);
    expect(JSON.stringify(stored)).not.toContain(partner.apiKey);
  });

  it('runs the operations of the partner manifest by id, over POST and GET', async () => {
    const r = await post(platform.router.url, persisted('PartnerProducts', { first: 5 }), { 'x-api-key': partner.apiKey });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data.products.edges).toHaveLength(5);
    expect(r.extensions.cost.throttleStatus.maximumAvailable).toBe(20_000); // the partner class bucket

    const q = new URLSearchParams({ operationName: 'PartnerCategories', extensions: JSON.stringify(persisted('PartnerCategories').extensions) });
    const get = await fetch(`${platform.router.url}?${q}`, { headers: { 'x-api-key': partner.apiKey, 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.categories.length).toBeGreaterThan(0);
  });

  it('refuses free-form queries, unknown ids and mismatching text', async () => {
    const free = await post(platform.router.url, { query: '{ categories { id } }' }, { 'x-api-key': partner.apiKey });
    expect(free.status).toBe(400);
    expect(free.errors?.[0]?.extensions?.code).toBe('QUERY_NOT_IN_SAFELIST');

    const unknown = await post(platform.router.url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, { 'x-api-key': partner.apiKey });
    expect(unknown.status).toBe(400);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');

    const swapped = await post(platform.router.url, { ...persisted('PartnerCategories'), query: '{ me { email } }' }, { 'x-api-key': partner.apiKey });
    expect(swapped.errors?.[0]?.extensions?.code).toBe('QUERY_NOT_IN_SAFELIST');
  });

  it('keeps each partner to its own list', async () => {
    const admin = await shop.admin();
    const other = await gql<any>(platform.router.url, 'mutation ($name: String!) { createPartner(name: $name) { apiKey } }', { name: `Other ${uniqueSuffix()}` }, { authorization: `Bearer ${admin}` });
    const r = await post(platform.router.url, persisted('PartnerCategories'), { 'x-api-key': other.data!.createPartner.apiKey });
    expect(r.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('answers a bad key with UNAUTHENTICATED, and a revoked one from the next request on', async () => {
    const bad = await post(platform.router.url, persisted('PartnerCategories'), { 'x-api-key': 'cpk_not-a-key' });
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const admin = await shop.admin();
    const second = await gql<any>(platform.router.url, 'mutation ($id: ID!) { createApiKey(partnerId: $id) { apiKey } }', { id: partner.id }, { authorization: `Bearer ${admin}` });
    const rotated = second.data!.createApiKey.apiKey as string;
    const revoke = await gql<any>(platform.router.url, 'mutation ($id: ID!, $key: ID) { revokeApiKey(partnerId: $id, keyId: $key) { partner { apiKeys { id revokedAt } } userErrors { code } } }', { id: partner.id, key: partner.keyId }, { authorization: `Bearer ${admin}` });
    expect(revoke.data!.revokeApiKey.userErrors).toEqual([]);

    const revoked = await post(platform.router.url, persisted('PartnerCategories'), { 'x-api-key': partner.apiKey });
    expect(revoked.status).toBe(401);
    expect(revoked.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fresh = await post(platform.router.url, persisted('PartnerCategories'), { 'x-api-key': rotated });
    expect(fresh.status).toBe(200);

    const again = await gql<any>(platform.router.url, 'mutation ($id: ID!, $key: ID) { revokeApiKey(partnerId: $id, keyId: $key) { userErrors { code } } }', { id: partner.id, key: partner.keyId }, { authorization: `Bearer ${admin}` });
    expect(again.data!.revokeApiKey.userErrors[0].code).toBe('KEY_ALREADY_REVOKED');
  });

  it('refuses a manifest whose ids do not match, naming the operation', async () => {
    const admin = await shop.admin();
    const tampered = { ...manifest, operations: manifest.operations.map((o, i) => (i === 1 ? { ...o, body: `${o.body} ` } : o)) };
    const r = await gql<any>(
      platform.router.url,
      'mutation ($id: ID!, $m: String!) { publishPersistedQueries(partnerId: $id, manifest: $m) { operationCount userErrors { code field } } }',
      { id: partner.id, m: JSON.stringify(tampered) },
      { authorization: `Bearer ${admin}` },
    );
    expect(r.data!.publishPersistedQueries).toEqual({ operationCount: 0, userErrors: [{ code: 'INVALID_MANIFEST', field: ['manifest', 'operations[1].id'] }] });
  });
});

describe('cost-based rate limiting', () => {
  const LISTING = '{ products(first: 20) { edges { node { id } } } }'; // 1 + 20 × (1 + 1) = 41 points, all returned

  it('reports the cost of every operation in extensions.cost', async () => {
    const r = await post(platform.router.url, { query: LISTING }, { 'x-forwarded-for': clientIp() });
    expect(r.extensions.cost).toEqual({
      requestedQueryCost: 41,
      actualQueryCost: 41,
      throttleStatus: { maximumAvailable: 5000, currentlyAvailable: expect.any(Number), restoreRate: 250 },
    });
    expect(r.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(5000 - 41 + 5);

    const fewer = await post(platform.router.url, { query: '{ products(first: 20, filter: { search: "zzzz-no-such-product" }) { edges { node { id } } } }' }, { 'x-forwarded-for': clientIp() });
    expect(fewer.extensions.cost).toMatchObject({ requestedQueryCost: 41, actualQueryCost: 1 }); // the unused 40 are refunded
  });

  it('refuses an operation above the cost ceiling before running it', async () => {
    const r = await post(platform.router.url, { query: '{ products(first: 100) { edges { node { variants { options { name } } } } } }' }, { 'x-forwarded-for': clientIp() });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(r.extensions.cost.requestedQueryCost).toBeGreaterThan(3000);
  });

  it('throttles one client across two router instances while another client is unaffected', async () => {
    const env = { ...platform.routerEnv, RATE_LIMIT_ANONYMOUS: '200:2', ROUTER_TRUSTED_PROXIES: 'loopback' };
    const [a, b] = await Promise.all([startRouter(env), startRouter(env)]);
    extraRouters.push(a, b);
    const noisy = clientIp();
    const quiet = clientIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await post((i % 2 ? b : a).url, { query: LISTING }, { 'x-forwarded-for': noisy });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]); // 4 × 41 = 164 of 200
    const throttled = await fetch(a.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': noisy }, body: JSON.stringify({ query: LISTING }) });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await throttled.json()) as any;
    expect(body.errors[0].extensions.code).toBe('THROTTLED');
    expect(body.data).toBeUndefined();
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 41, actualQueryCost: null, throttleStatus: { maximumAvailable: 200, restoreRate: 2 } });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(41);

    const other = await post(b.url, { query: LISTING }, { 'x-forwarded-for': quiet });
    expect(other.status).toBe(200);
    expect(other.data.products.edges).toHaveLength(20);
  });

  it('gives customers their own bucket and class', async () => {
    const customer = await shop.customer();
    const r = await post(platform.router.url, { query: LISTING }, { authorization: `Bearer ${customer.token}` });
    expect(r.extensions.cost.throttleStatus.maximumAvailable).toBe(1_000_000); // the harness's customer class
  });
});

describe('response cache', () => {
  const page = (handle: string, headers: Record<string, string> = {}) => post(platform.router.url, { query: contractOperation('ProductPage'), variables: { handle } }, { 'x-forwarded-for': clientIp(), ...headers });

  it('serves public catalog data from Redis, and a price change at once', async () => {
    const product = await shop.product({ price: '20.00', stock: 3 });
    // first the catalog must know it (until then the cached answer is `null`, retired on creation)
    await eventually(async () => (await page(product.handle)).data?.product?.id === product.productId, 5000, 25);
    const hit = await eventually(async () => {
      const r = await page(product.handle);
      return r.headers.get('x-cache') === 'HIT' ? r : undefined;
    }, 5000, 25);
    expect(hit.data.product.variants[0].price.amount).toBe('20.00');
    expect(hit.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(hit.headers.get('age')).not.toBeNull();

    const admin = await shop.admin();
    const started = Date.now();
    const set = await send<any>(platform, 'SetVariantPrice', { variantId: product.variantId, price: { amount: '17.50', currencyCode: 'USD' } }, admin);
    expect(set.data!.setVariantPrice.userErrors).toEqual([]);
    const updated = await eventually(async () => {
      const r = await page(product.handle);
      return r.data?.product?.variants[0].price.amount === '17.50' ? r : undefined;
    }, 3000, 10);
    const visibleAfterMs = Date.now() - started;
    expect(visibleAfterMs).toBeLessThan(1000);
    expect(updated.headers.get('x-cache')).toBe('MISS');
  });

  it('never caches for a customer, and sends no public Cache-Control for private data', async () => {
    const customer = await shop.customer();
    const product = await shop.product({ price: '9.00' });
    // the same page is in the cache for anonymous requests …
    await eventually(async () => (await page(product.handle)).headers.get('x-cache') === 'HIT', 5000, 25);
    // … and never served from it to a customer
    const auth = { authorization: `Bearer ${customer.token}` };
    for (let i = 0; i < 3; i++) {
      const r = await page(product.handle, auth);
      expect(r.data.product.handle).toBe(product.handle);
      expect(r.headers.get('x-cache')).toBe('MISS');
    }
    const me = await post(platform.router.url, { query: '{ me { id email } }' }, auth);
    expect(me.data.me.id).toBe(customer.id);
    expect(me.headers.get('cache-control') ?? '').not.toContain('public');
    expect(me.headers.get('x-cache')).toBe('MISS');
  });
});
