import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import {
  allow,
  callInternal,
  CONTEXT_HEADER,
  createLogger,
  generateRouterKeyPair,
  parseRouterPublicKey,
  parseRouterSigningKey,
  signInternalContext,
  startSubgraphServer,
  type BaseContext,
  type Identity,
  type SubgraphServer,
} from '../src/index.ts';

/**
 * Security review finding 5 at the subgraphs' door: each subgraph answers only a context the router
 * signed for it (its name as `aud`), unexpired, verified with the router's public key — which is
 * all a subgraph holds. Two subgraphs, orders and payments, as in the finding.
 */
const router = generateRouterKeyPair();
const ADMIN: Identity = { id: 'cust_admin', roles: ['CUSTOMER', 'ADMIN'] };
let orders: SubgraphServer;
let payments: SubgraphServer;

async function start(name: string, internal?: { path: string; callers: string[] }): Promise<SubgraphServer> {
  return startSubgraphServer({
    name,
    typeDefs: 'type Query { whoami: [String!]! }',
    resolvers: { Query: { whoami: (_p: unknown, _a: unknown, ctx: BaseContext) => [ctx.user?.id ?? 'anonymous', ...(ctx.user?.roles ?? [])] } },
    permissions: { Query: { whoami: allow } },
    host: '127.0.0.1',
    port: 0,
    nodeEnv: 'test',
    routerKey: parseRouterPublicKey(router.publicKey),
    logger: createLogger(name, 'silent'),
    context: (base) => base,
    readiness: {},
    ...(internal ? { internalRoutes: { [internal.path]: { callers: internal.callers, handler: async (ctx) => ({ status: 200, body: { user: ctx.user } }) } } } : {}),
  });
}

beforeAll(async () => {
  [orders, payments] = await Promise.all([start('orders'), start('payments', { path: '/internal/payment', callers: ['orders'] })]);
});
afterAll(async () => {
  await Promise.all([orders?.stop(), payments?.stop()]);
});

async function whoami(server: SubgraphServer, token: string | undefined) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { [CONTEXT_HEADER]: token } : {}) },
    body: JSON.stringify({ query: '{ whoami }' }),
  });
  return { status: res.status, body: (await res.json()) as { data?: { whoami: string[] }; errors?: Array<{ extensions?: { code?: string } }> } };
}
const forSubgraph = (audience: string, user: Identity | null = ADMIN) => signInternalContext(router.signingKey, { user, requestId: `r-${audience}` }, { audience });
const now = () => Math.floor(Date.now() / 1000);

describe('a subgraph answers only a router context signed for it', () => {
  it('answers the router\'s context for itself', async () => {
    expect(await whoami(orders, await forSubgraph('orders'))).toEqual({ status: 200, body: { data: { whoami: ['cust_admin', 'CUSTOMER', 'ADMIN'] } } });
    expect((await whoami(payments, await forSubgraph('payments'))).status).toBe(200);
  });

  it('refuses a context the router signed for another subgraph: orders\' token does not open payments', async () => {
    const forOrders = await forSubgraph('orders');
    const r = await whoami(payments, forOrders);
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.data).toBeUndefined();
    expect((await whoami(orders, await forSubgraph('payments'))).status).toBe(401);
  });

  it('refuses a context without exp, an expired one, and one living longer than 60 s', async () => {
    const key = parseRouterSigningKey(router.signingKey).privateKey;
    const base = () => new SignJWT({ rid: 'r', roles: ['CUSTOMER', 'ADMIN'] }).setProtectedHeader({ alg: 'EdDSA', typ: 'commerce-context+jwt' }).setIssuer('commerce-router').setAudience('orders').setSubject('cust_admin');
    expect((await whoami(orders, await base().setIssuedAt().setExpirationTime('60s').sign(key))).status).toBe(200); // the control
    expect((await whoami(orders, await base().setIssuedAt().sign(key))).status).toBe(401);
    expect((await whoami(orders, await base().setIssuedAt(now() - 90).setExpirationTime(now() - 30).sign(key))).status).toBe(401);
    expect((await whoami(orders, await base().setIssuedAt().setExpirationTime('1d').sign(key))).status).toBe(401);
  });

  it('refuses an HMAC of the old shared ROUTER_SECRET and a context signed by any other key', async () => {
    const hmac = await new SignJWT({ rid: 'r', roles: ['CUSTOMER', 'ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('commerce-router')
      .setAudience('commerce-subgraphs')
      .setSubject('cust_admin')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(new TextEncoder().encode('the-old-shared-router-secret-of-32-bytes'));
    expect((await whoami(orders, hmac)).status).toBe(401);
    // a subgraph (or anyone) with a key pair of its own cannot mint ADMIN for the others
    const mallory = generateRouterKeyPair();
    expect((await whoami(orders, await signInternalContext(mallory.signingKey, { user: ADMIN, requestId: 'r' }, { audience: 'orders' }))).status).toBe(401);
    expect((await whoami(orders, undefined)).status).toBe(401);
  });
});

describe('internal routes accept the context of their callers only', () => {
  const url = () => new URL('/internal/payment', payments.url).href;

  it('takes the context the router signed for a named caller, forwarded as is (callInternal)', async () => {
    const forwarded = await forSubgraph('orders', { id: 'cust_a', roles: ['CUSTOMER'] });
    expect(await callInternal(url(), '/internal/payment', forwarded)).toEqual({ status: 200, body: { user: { id: 'cust_a', roles: ['CUSTOMER'] } } });
  });

  it('refuses contexts for any other subgraph (the route\'s own included) and expired ones', async () => {
    for (const audience of ['payments', 'cart']) expect((await callInternal(url(), '/internal/payment', await forSubgraph(audience))).status).toBe(401);
    const key = parseRouterSigningKey(router.signingKey).privateKey;
    const expired = await new SignJWT({ rid: 'r' }).setProtectedHeader({ alg: 'EdDSA', typ: 'commerce-context+jwt' }).setIssuer('commerce-router').setAudience('orders').setIssuedAt(now() - 90).setExpirationTime(now() - 30).sign(key);
    expect((await callInternal(url(), '/internal/payment', expired)).status).toBe(401);
  });
});
