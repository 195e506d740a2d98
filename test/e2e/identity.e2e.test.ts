import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'openid-client';
import { decodeJwt } from 'jose';
import { browserLogIn, gql, uniqueSuffix } from '@commerce/testing';
import { startRouter, type RunningRouter } from '@commerce/router';
import { send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * Identity through the whole platform (issue 13): a storefront app logs a shopper in with the
 * authorization-code flow + PKCE (openid-client drives the protocol, a scripted browser the
 * provider's pages), calls the API through the router with the token, refreshes it, logs out
 * everywhere; a partner gets a client-credentials token with catalog:read and is held to it.
 */
let platform: Platform;
let shop: Shop;
let secondRouter: RunningRouter;
const REDIRECT = 'http://127.0.0.1:3000/callback';
const insecure = { execute: [oauth.allowInsecureRequests] };

beforeAll(async () => {
  platform = await startPlatform({ seedProducts: 3, serviceEnv: { customers: { OAUTH_STOREFRONT_REDIRECT_URIS: REDIRECT } } });
  shop = new Shop(platform);
  // a second router over the same subgraphs: an ended session must be refused by every router
  secondRouter = await startRouter(platform.routerEnv);
}, 120_000);
afterAll(async () => {
  await secondRouter?.stop();
  await platform?.stop();
});

const oauthError = (code: string) => (e: unknown) => {
  const err = e as { error?: string; cause?: Array<{ parameters?: { error?: string } }> };
  return err.error === code || (Array.isArray(err.cause) && err.cause.some((c) => c.parameters?.error === code));
};

async function shopper() {
  const email = `id-${uniqueSuffix()}@example.com`;
  const password = 'a long enough password';
  const r = await send<any>(platform, 'SignUp', { input: { email, password, name: 'Id Shopper' } });
  return { email, password, id: r.data!.signUp.customer.id as string, token: r.data!.signUp.accessToken as string };
}

async function authorizationCodeLogIn(who: { email: string; password: string }) {
  const config = await oauth.discovery(new URL(platform.customers.oauth.issuer!), 'storefront', undefined, oauth.None(), insecure);
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const url = oauth.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid offline_access commerce', code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
  const callback = await browserLogIn({ authorizationUrl: url, redirectUri: REDIRECT, ...who });
  return { config, tokens: await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }) };
}

const me = (router: { url: string }, token: string) => gql<any>(router.url, '{ me { id email } }', {}, { authorization: `Bearer ${token}` });

describe('a storefront app with OAuth 2.0', () => {
  it('logs in with code + PKCE, calls the API through the router, refreshes, and logs out everywhere', async () => {
    const who = await shopper();
    const { config, tokens } = await authorizationCodeLogIn(who);
    const first = await me(platform.router, tokens.access_token);
    expect(first.errors).toBeUndefined();
    expect(first.data.me).toEqual({ id: who.id, email: who.email });

    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await me(platform.router, refreshed.access_token)).data.me.id).toBe(who.id);

    // log out everywhere, with the GraphQL log-in's token: every token of the account is over
    const out = await send<any>(platform, 'LogOutEverywhere', {}, who.token);
    expect(out.data!.logOutEverywhere).toEqual({ ok: true, userErrors: [] });
    const ended = Date.now();
    for (const router of [platform.router, secondRouter]) {
      for (const token of [who.token, tokens.access_token, refreshed.access_token]) {
        const r = await me(router, token);
        expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(r.errors?.[0]?.message).toMatch(/session has ended/);
      }
    }
    // seen by both routers on their very next request (no cache to expire)
    expect(Date.now() - ended).toBeLessThan(1_000 + 6 * 200);
    await expect(oauth.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toSatisfy(oauthError('invalid_grant'));
    // a new log-in works again
    const again = await send<any>(platform, 'LogIn', { email: who.email, password: who.password });
    expect((await me(secondRouter, again.data!.logIn.accessToken)).data.me.id).toBe(who.id);
  });

  it('a reused refresh token revokes its family, at the provider and at the router', async () => {
    const who = await shopper();
    const { config, tokens } = await authorizationCodeLogIn(who);
    const second = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await me(platform.router, second.access_token)).data.me.id).toBe(who.id);
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toSatisfy(oauthError('invalid_grant'));
    await expect(oauth.refreshTokenGrant(config, second.refresh_token!)).rejects.toSatisfy(oauthError('invalid_grant'));
    const r = await me(secondRouter, second.access_token);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // the account's other sessions are not touched
    expect((await me(platform.router, who.token)).data.me.id).toBe(who.id);
  });

  it('logOut ends only the session of its token', async () => {
    const who = await shopper();
    const other = await send<any>(platform, 'LogIn', { email: who.email, password: who.password });
    const out = await send<any>(platform, 'LogOut', {}, who.token);
    expect(out.data!.logOut.ok).toBe(true);
    expect((await me(secondRouter, who.token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await me(secondRouter, other.data!.logIn.accessToken)).data.me.id).toBe(who.id);
    // anonymous: logging out needs a token
    expect((await send<any>(platform, 'LogOut', {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a partner with client credentials', () => {
  it('gets a catalog:read token that reads the catalog and nothing else', async () => {
    const admin = await shop.admin();
    const partner = (await gql<any>(platform.router.url, 'mutation ($n: String!) { createPartner(name: $n) { partner { id } } }', { n: `OAuth Partner ${uniqueSuffix()}` }, { authorization: `Bearer ${admin}` })).data.createPartner.partner.id;
    const created = (await send<any>(platform, 'CreateOAuthClient', { partnerId: partner, name: 'Feed', scopes: ['catalog:read'] }, admin)).data!.createOAuthClient;
    expect(created.userErrors).toEqual([]);
    const config = await oauth.discovery(new URL(platform.customers.oauth.issuer!), created.client.clientId, undefined, oauth.ClientSecretBasic(created.clientSecret), insecure);
    const { access_token: token } = await oauth.clientCredentialsGrant(config, { scope: 'catalog:read' });
    expect(decodeJwt(token)).toMatchObject({ scope: 'catalog:read', partner });

    const products = await gql<any>(platform.router.url, '{ products(first: 2) { edges { node { id title } } } }', {}, { authorization: `Bearer ${token}` });
    expect(products.errors).toBeUndefined();
    expect(products.data.products.edges.length).toBeGreaterThan(0);

    // another domain's query, and a catalog mutation: refused before any subgraph, with the missing scope
    const orders = await fetch(platform.router.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(orders.status).toBe(403);
    expect(orders.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    const body = (await orders.json()) as any;
    expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['customers:read'] });
    const write = await gql<any>(platform.router.url, 'mutation { createCategory(name: "Nope") { category { id } } }', {}, { authorization: `Bearer ${token}` });
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['catalog:write'] });
    // a scope the client was not given is refused at the token endpoint
    await expect(oauth.clientCredentialsGrant(config, { scope: 'catalog:write' })).rejects.toSatisfy(oauthError('invalid_scope'));

    // deleting the client ends its tokens at the router
    await send<any>(platform, 'DeleteOAuthClient', { partnerId: partner, clientId: created.client.clientId }, admin);
    const after = await gql<any>(secondRouter.url, '{ products(first: 1) { edges { node { id } } } }', {}, { authorization: `Bearer ${token}` });
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
