import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, gql, uniqueSuffix } from '@commerce/testing';
import { send, startPlatform, type Platform } from './platform.ts';

let platform: Platform;
let adminToken: string;

beforeAll(async () => {
  platform = await startPlatform({ seedProducts: 1000 });
  const login = await send<any>(platform, 'LogIn', { email: 'admin@example.com', password: 'admin-password' });
  adminToken = login.data!.logIn.accessToken;
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

async function signUp(email = `shopper-${uniqueSuffix()}@example.com`) {
  const r = await send<any>(platform, 'SignUp', { input: { email, password: 'correct horse battery', name: 'Sam Shopper' } });
  return { email, token: r.data!.signUp.accessToken as string, customer: r.data!.signUp.customer, response: r };
}

function productInput(title = `E2E Product ${uniqueSuffix()}`) {
  const s = uniqueSuffix();
  return { handle: `e2e-${s}`, title, description: 'Made by the e2e suite', variants: [{ sku: `E2E-${s}`, title: 'Default', price: { amount: '12.00', currencyCode: 'USD' }, options: [{ name: 'Size', value: 'M' }] }] };
}

const LISTING = `query ($search: String) { products(first: 10, filter: { search: $search }) { totalCount edges { node { handle variants { price { amount } } } } } }`;

describe('the client contract', () => {
  it('is the same as ../shared/contract when that is present', () => {
    const shared = join(import.meta.dirname, '..', '..', '..', 'shared', 'contract');
    if (!existsSync(shared)) return; // a clone outside the workspace has only the copy
    for (const f of ['storefront.graphql', 'admin.graphql']) {
      expect(readFileSync(join(import.meta.dirname, '..', 'contract', f), 'utf8')).toBe(readFileSync(join(shared, f), 'utf8'));
    }
  });
});

describe('storefront operations through the router', () => {
  it('Categories: the category tree with parents', async () => {
    const r = await send<any>(platform, 'Categories');
    expect(r.errors).toBeUndefined();
    expect(r.data!.categories.length).toBeGreaterThanOrEqual(10);
    const child = r.data!.categories.find((c: any) => c.parent);
    expect(r.data!.categories.some((c: any) => c.id === child.parent.id)).toBe(true);
  });

  it('SignUp: a JWT and the customer; EMAIL_TAKEN for a duplicate; userErrors for bad input', async () => {
    const { email, token, customer, response } = await signUp();
    expect(response.data!.signUp.userErrors).toEqual([]);
    expect(token.split('.')).toHaveLength(3);
    expect(customer).toMatchObject({ email, name: 'Sam Shopper' });
    const dup = await send<any>(platform, 'SignUp', { input: { email, password: 'another password', name: 'Other' } });
    expect(dup.data!.signUp).toMatchObject({ accessToken: null, customer: null });
    expect(dup.data!.signUp.userErrors[0].code).toBe('EMAIL_TAKEN');
    const bad = await send<any>(platform, 'SignUp', { input: { email: 'not-an-email', password: 'x', name: '' } });
    expect(bad.status).toBe(200);
    expect(bad.data!.signUp.userErrors.length).toBeGreaterThan(0);
  });

  it('LogIn: a token for good credentials, INVALID_CREDENTIALS otherwise', async () => {
    const { email } = await signUp();
    const ok = await send<any>(platform, 'LogIn', { email, password: 'correct horse battery' });
    expect(ok.data!.logIn.userErrors).toEqual([]);
    expect(ok.data!.logIn.customer.email).toBe(email);
    for (const [e, p] of [[email, 'wrong password'], [`nobody-${uniqueSuffix()}@example.com`, 'correct horse battery']]) {
      const r = await send<any>(platform, 'LogIn', { email: e, password: p });
      expect(r.data!.logIn).toMatchObject({ accessToken: null, customer: null });
      expect(r.data!.logIn.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('Me: the caller with their (empty) orders; UNAUTHENTICATED without a token; 401 for a bad token', async () => {
    const { token, customer } = await signUp();
    const me = await send<any>(platform, 'Me', {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toEqual({ id: customer.id, email: customer.email, name: 'Sam Shopper', orders: { edges: [] } });
    const anon = await send<any>(platform, 'Me');
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await send<any>(platform, 'Me', {}, `${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('serves Apollo Sandbox in development', async () => {
    const res = await fetch(platform.router.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('sandbox');
  });
});

describe('admin operations through the router', () => {
  it('refuse anonymous callers (UNAUTHENTICATED) and customers (FORBIDDEN)', async () => {
    const { token } = await signUp();
    for (const [op, vars] of [
      ['CreateProduct', { input: productInput() }],
      ['CreateCategory', { name: `Nope ${uniqueSuffix()}` }],
      ['SetVariantPrice', { variantId: 'var_0000000000000000000000000', price: { amount: '1.00', currencyCode: 'USD' } }],
    ] as const) {
      const anon = await send<any>(platform, op, vars);
      expect(anon.errors?.[0]?.extensions?.code, op).toBe('UNAUTHENTICATED');
      const customer = await send<any>(platform, op, vars, token);
      expect(customer.errors?.[0]?.extensions?.code, op).toBe('FORBIDDEN');
    }
  });

  it('CreateCategory, then CreateProduct in it: listed and searchable at once, duplicates refused', async () => {
    const cat = await send<any>(platform, 'CreateCategory', { name: `E2E ${uniqueSuffix()}` }, adminToken);
    expect(cat.data!.createCategory.userErrors).toEqual([]);
    const title = `Marmalade Kettle ${uniqueSuffix()}`;
    const input = { ...productInput(title), categoryIds: [cat.data!.createCategory.category.id] };
    const created = await send<any>(platform, 'CreateProduct', { input }, adminToken);
    expect(created.data!.createProduct.userErrors).toEqual([]);
    expect(created.data!.createProduct.product).toMatchObject({ handle: input.handle, variants: [{ sku: input.variants[0]!.sku }] });
    const listed = await gql<any>(platform.router.url, LISTING, { search: 'marmalade kettle' });
    expect(listed.data!.products.edges.map((e: any) => e.node.handle)).toContain(input.handle);

    const dupHandle = await send<any>(platform, 'CreateProduct', { input: { ...productInput(), handle: input.handle } }, adminToken);
    expect(dupHandle.data!.createProduct.userErrors[0].code).toBe('HANDLE_TAKEN');
    const dupSku = await send<any>(platform, 'CreateProduct', { input: { ...productInput(), variants: input.variants } }, adminToken);
    expect(dupSku.data!.createProduct.userErrors[0].code).toBe('SKU_TAKEN');
  });

  it('SetVariantPrice: the new price shows in the listing within a second', async () => {
    const input = productInput(`Quillfeather Pen ${uniqueSuffix()}`);
    const created = await send<any>(platform, 'CreateProduct', { input }, adminToken);
    const variantId = created.data!.createProduct.product.variants[0].id;
    const r = await send<any>(platform, 'SetVariantPrice', { variantId, price: { amount: '99.95', currencyCode: 'USD' } }, adminToken);
    expect(r.data!.setVariantPrice).toEqual({ variant: { id: variantId, price: { amount: '99.95', currencyCode: 'USD' } }, userErrors: [] });
    await eventually(async () => {
      const l = await gql<any>(platform.router.url, LISTING, { search: 'quillfeather' });
      return l.data!.products.edges.some((e: any) => e.node.handle === input.handle && e.node.variants[0].price.amount === '99.95');
    }, 1000, 20);
    const bad = await send<any>(platform, 'SetVariantPrice', { variantId, price: { amount: '-3', currencyCode: 'USD' } }, adminToken);
    expect(bad.data!.setVariantPrice.userErrors[0].code).toBe('INVALID_PRICE');
    const unknown = await send<any>(platform, 'SetVariantPrice', { variantId: 'not-an-id', price: { amount: '3.00', currencyCode: 'USD' } }, adminToken);
    expect(unknown.data!.setVariantPrice.userErrors[0].code).toBe('VARIANT_NOT_FOUND');
  });
});
