import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, TcpProxy, testInfra, uniqueSuffix } from '@commerce/testing';
import { contractOperation, send, startPlatform, type Platform } from './platform.ts';

const MASKED = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

describe('the platform in production mode, through the router', () => {
  let platform: Platform;
  // a TCP proxy in front of MongoDB for cart alone: cutting it is a real database outage for cart
  let proxy: TcpProxy;
  let mongoUrl: URL;

  beforeAll(async () => {
    mongoUrl = new URL(testInfra().mongoUrl);
    proxy = TcpProxy.for(mongoUrl.href);
    await proxy.open();
    platform = await startPlatform({ production: true, serviceEnv: { cart: { CART_MONGO_URL: proxy.url(mongoUrl.href) } } });
  });
  afterAll(async () => {
    await proxy?.open(); // the database is back, so cart stops cleanly
    await platform?.stop();
    await proxy?.close();
  });

  it('runs every service and the router with NODE_ENV=production', () => {
    expect(platform.routerEnv.NODE_ENV).toBe('production');
    for (const env of Object.values(platform.env)) expect(env.NODE_ENV).toBe('production');
  });

  it('serves the storefront contract: sign-up, me, a cart, the product listing', async () => {
    const email = `prod-${uniqueSuffix()}@example.com`;
    const signUp = await send(platform, 'SignUp', { input: { email, password: 'correct horse battery', name: 'Prod Shopper' } });
    expect(signUp.errors).toBeUndefined();
    expect(signUp.data!.signUp.userErrors).toEqual([]);
    const token = signUp.data!.signUp.accessToken as string;
    const me = await send(platform, 'Me', {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({ email, name: 'Prod Shopper', orders: { edges: [] } });
    const cart = await send(platform, 'CreateCart', {}, token);
    expect(cart.errors).toBeUndefined();
    const read = await send(platform, 'Cart', { id: cart.data!.createCart.id }, token);
    expect(read.errors).toBeUndefined();
    expect(read.data!.cart).toMatchObject({ id: cart.data!.createCart.id, lines: [], totalQuantity: 0 });
    const listing = await send(platform, 'ProductListing', { first: 5 });
    expect(listing.errors).toBeUndefined();
    expect(listing.data!.products.edges).toEqual([]);
  });

  it('keeps user errors: userErrors and BAD_USER_INPUT with their messages', async () => {
    const email = `prod-dup-${uniqueSuffix()}@example.com`;
    const input = { email, password: 'correct horse battery', name: 'Dup' };
    expect((await send(platform, 'SignUp', { input })).data!.signUp.userErrors).toEqual([]);
    const again = await send(platform, 'SignUp', { input });
    expect(again.errors).toBeUndefined();
    expect(again.data!.signUp.accessToken).toBeNull();
    expect(again.data!.signUp.userErrors).toEqual([expect.objectContaining({ code: 'EMAIL_TAKEN', message: expect.stringMatching(/\w/) })]);

    const bad = await send(platform, 'ProductListing', { first: 0 });
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0]!.message).toMatch(/^first must be between 1 and \d+$/);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.errors![0]!.extensions).not.toHaveProperty('serviceName');
    expect(bad.errors![0]!.extensions).not.toHaveProperty('stacktrace');
  });

  it('refuses introspection, schema suggestions and the Sandbox landing page', async () => {
    const introspection = await gql(platform.router.url, '{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await gql(platform.router.url, '{ categoriez { id } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);

    const page = await fetch(platform.router.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect((await page.text()).toLowerCase()).not.toContain('sandbox');
    const root = await fetch(new URL('/', platform.router.url), { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(root.status).toBe(404);
  });

  it("masks an internal error of a subgraph resolver (cart's database is down): no message, stack, subgraph or address", async () => {
    const created = await send(platform, 'CreateCart');
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCart.id as string;
    await proxy.cut(); // cart's MongoDB connection is cut: its next database call fails

    const res = await gql(platform.router.url, contractOperation('Cart'), { id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ cart: null });
    expect(res.errors).toEqual([MASKED]);
    const text = JSON.stringify(res);
    for (const leak of [/stack/i, /mongo/i, /ECONNREFUSED|ECONNRESET|timed out|selection/i, /serviceName|"cart"\s*:\s*\{|subgraph/i, /127\.0\.0\.1|localhost/, new RegExp(String(proxy.port)), new RegExp(platform.services.cart.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))]) {
      expect(text).not.toMatch(leak);
    }
  }, 60_000);
});
