import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { ADMIN, browserLogIn, TestBrowser, testInfra } from '@commerce/testing';
import { API_RESOURCE, createRedis, sessionState, issuedAtMsOf } from '@commerce/platform';
import { startTestCustomers, type TestCustomers } from './helpers.ts';

/**
 * The OAuth 2.0 / OpenID Connect provider of the customers service, driven by a certified
 * client library (openid-client) and a scripted browser on the provider's own pages.
 */
let t: TestCustomers;
let issuer: string;
const redis = createRedis(testInfra().redisUrl);
const REDIRECT = 'http://127.0.0.1:3000/callback';
const email = `oauth-${Date.now()}@example.com`;
const password = 'correct horse battery';
let customerId: string;

beforeAll(async () => {
  t = await startTestCustomers({ OAUTH_STOREFRONT_REDIRECT_URIS: REDIRECT });
  issuer = t.svc.oauth.issuer!;
  const r = await t.call<any>('mutation ($i: SignUpInput!) { signUp(input: $i) { customer { id } userErrors { code } } }', { i: { email, password, name: 'OAuth Shopper' } });
  customerId = r.data!.signUp.customer.id;
});
afterAll(async () => {
  await t?.stop();
  redis.disconnect();
});

/** an openid-client error with this OAuth error code (a response body's, or a WWW-Authenticate challenge's) */
const oauthError = (code: string) => (e: unknown) => {
  const err = e as { error?: string; cause?: Array<{ parameters?: { error?: string } }> };
  return err.error === code || (Array.isArray(err.cause) && err.cause.some((c) => c.parameters?.error === code));
};

const insecure = { execute: [oauth.allowInsecureRequests] };

async function storefront() {
  return oauth.discovery(new URL(issuer), 'storefront', undefined, oauth.None(), insecure);
}

async function logInWithPkce(config: oauth.Configuration, browser = new TestBrowser(), who = { email, password }) {
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const url = oauth.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid offline_access commerce',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const callback = await browserLogIn({ authorizationUrl: url, redirectUri: REDIRECT, ...who }, browser);
  return oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

/** a browser on the provider's log-in page of a new authorization request: where its form posts, and the form's fields */
async function openLogInPage() {
  const config = await storefront();
  const verifier = oauth.randomPKCECodeVerifier();
  const url = oauth.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid commerce', code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
  const browser = new TestBrowser();
  const page = await browser.follow(url.href, REDIRECT);
  if ('redirectedTo' in page) throw new Error('expected the log-in page');
  const { action, fields } = TestBrowser.form(page.html, '/login');
  return { browser, target: new URL(action, page.url), fields };
}

describe('OAuth provider', () => {
  it('publishes discovery and a JWKS with the key the GraphQL tokens use', async () => {
    const config = await storefront();
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.code_challenge_methods_supported).toContain('S256');
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(meta.revocation_endpoint).toBeTruthy();
    expect(meta.introspection_endpoint).toBeTruthy();
    const jwks = await (await fetch(meta.jwks_uri!)).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(t.svc.tokens.kid);
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/); // public parts only
  });

  it('logs a shopper in with authorization code + PKCE; the access token is a JWT for the API with the customer and a session', async () => {
    const tokens = await logInWithPkce(await storefront());
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.id_token).toBeTruthy();
    const keys = createRemoteJWKSet(new URL(`${issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, keys, { issuer, audience: API_RESOURCE });
    expect(protectedHeader.kid).toBe(t.svc.tokens.kid);
    expect(payload).toMatchObject({ sub: customerId, roles: ['CUSTOMER'], client_id: 'storefront' });
    expect(payload.scope).toContain('commerce');
    expect(typeof payload.sid).toBe('string');
  });

  it('requires PKCE of the public client', async () => {
    const config = await storefront();
    const url = oauth.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid commerce', state: 'x' });
    const browser = new TestBrowser();
    const r = await browser.follow(url.href, REDIRECT);
    const where = 'redirectedTo' in r ? new URL(r.redirectedTo) : undefined;
    expect(where?.searchParams.get('error')).toBe('invalid_request');
    expect(where?.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('rotates refresh tokens, and a reused one ends the whole family', async () => {
    const config = await storefront();
    const first = await logInWithPkce(config);
    const second = await oauth.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const sid = decodeJwt(second.access_token).sid as string;
    expect(decodeJwt(first.access_token).sid).toBe(sid);
    // the used one again: refused, and the grant with it
    await expect(oauth.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oauth.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // and the router refuses the family's access tokens from now on
    const claims = decodeJwt(second.access_token);
    expect(await sessionState(redis, { sub: customerId, sid, issuedAtMs: issuedAtMsOf(claims as never) })).toBe('ended');
  });

  it('gives exactly one new token pair when one refresh token is used twice at once', async () => {
    const config = await storefront();
    const first = await logInWithPkce(config);
    const results = await Promise.allSettled([oauth.refreshTokenGrant(config, first.refresh_token!), oauth.refreshTokenGrant(config, first.refresh_token!)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // whichever won, the grant is over: a concurrent reuse is a reuse
    const won = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<oauth.TokenEndpointResponse> | undefined;
    if (won) await expect(oauth.refreshTokenGrant(config, won.value.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes a refresh token (RFC 7009) and introspection says so', async () => {
    const config = await storefront();
    const tokens = await logInWithPkce(config);
    const before = await oauth.tokenIntrospection(config, tokens.refresh_token!);
    expect(before.active).toBe(true);
    // stored by its hash only: the database holds no usable refresh token
    const stored = await t.svc.conn.db!.collection('oauth_refresh_token').find({}).toArray();
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(tokens.refresh_token!);
    await oauth.tokenRevocation(config, tokens.refresh_token!);
    const after = await oauth.tokenIntrospection(config, tokens.refresh_token!);
    expect(after.active).toBe(false);
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const claims = decodeJwt(tokens.access_token);
    expect(await sessionState(redis, { sub: customerId, sid: claims.sid as string, issuedAtMs: issuedAtMsOf(claims as never) })).toBe('ended');
  });

  it('a password change ends every earlier session of the account: GraphQL log-ins and OAuth grants', async () => {
    const who = { email: `pwchange-${Date.now()}@example.com`, password: 'the old password' };
    const up = await t.call<any>('mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken customer { id } } }', { i: { ...who, name: 'Changer' } });
    const id = up.data!.signUp.customer.id as string;
    const oldToken = decodeJwt(up.data!.signUp.accessToken);
    const config = await storefront();
    const oauthTokens = await logInWithPkce(config, new TestBrowser(), who);
    const changed = await t.call<any>(
      'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken userErrors { code } } }',
      { c: who.password, n: 'the new password' },
      { id, roles: ['CUSTOMER'], sessionId: oldToken.sid as string },
    );
    expect(changed.data!.changePassword.userErrors).toEqual([]);
    const state = (claims: Record<string, unknown>) => sessionState(redis, { sub: id, sid: claims.sid as string, issuedAtMs: issuedAtMsOf(claims as never) });
    expect(await state(oldToken)).toBe('ended');
    expect(await state(decodeJwt(oauthTokens.access_token))).toBe('ended');
    await expect(oauth.refreshTokenGrant(config, oauthTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // the token the change answered is the account's one live session
    expect(await state(decodeJwt(changed.data!.changePassword.accessToken))).toBe('active');
  });

  it('shows the log-in page again on a wrong password, and refuses a form without its CSRF token', async () => {
    const { browser, target, fields } = await openLogInPage();
    const noCsrf = await browser.request(target, { form: { email, password } });
    expect(noCsrf.status).toBe(403);
    const otherOrigin = await browser.request(target, { form: { ...fields, email, password }, headers: { origin: 'https://evil.example' } });
    expect(otherOrigin.status).toBe(403);
    const wrong = await browser.request(target, { form: { ...fields, email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('Email or password is incorrect');
    expect(wrong.html).not.toContain('not the password');
  });

  it('escapes what it renders', async () => {
    const { browser, target, fields } = await openLogInPage();
    const r = await browser.request(target, { form: { ...fields, email: '"><script>alert(1)</script>', password: 'x' } });
    expect(r.html).not.toContain('<script>alert(1)');
    expect(r.html).toContain('&lt;script&gt;');
  });

  describe('partner clients (client credentials)', () => {
    const CREATE_PARTNER = 'mutation ($name: String!) { createPartner(name: $name) { partner { id } } }';
    const CREATE_CLIENT = 'mutation ($p: ID!, $n: String!, $s: [String!]!) { createOAuthClient(partnerId: $p, name: $n, scopes: $s) { client { clientId name scopes } clientSecret userErrors { code field } } }';

    it('get a token with the scopes they were given, and no other', async () => {
      const partner = (await t.call<any>(CREATE_PARTNER, { name: `Partner ${Date.now()}` }, ADMIN)).data!.createPartner.partner.id;
      const created = (await t.call<any>(CREATE_CLIENT, { p: partner, n: 'Feed', s: ['catalog:read'] }, ADMIN)).data!.createOAuthClient;
      expect(created.userErrors).toEqual([]);
      expect(created.client.scopes).toEqual(['catalog:read']);
      const config = await oauth.discovery(new URL(issuer), created.client.clientId, undefined, oauth.ClientSecretBasic(created.clientSecret), insecure);
      const token = await oauth.clientCredentialsGrant(config, { scope: 'catalog:read' });
      const claims = decodeJwt(token.access_token);
      expect(claims).toMatchObject({ sub: created.client.clientId, scope: 'catalog:read', partner, aud: API_RESOURCE, iss: issuer });
      expect(claims.roles).toBeUndefined();
      await expect(oauth.clientCredentialsGrant(config, { scope: 'orders:write' })).rejects.toMatchObject({ error: 'invalid_scope' });
      const wrongSecret = await oauth.discovery(new URL(issuer), created.client.clientId, undefined, oauth.ClientSecretBasic('ocs_wrong'), insecure);
      await expect(oauth.clientCredentialsGrant(wrongSecret, { scope: 'catalog:read' })).rejects.toSatisfy(oauthError('invalid_client'));
      // stored sealed: the database holds no secret in clear
      const stored = await t.svc.conn.db!.collection('oauth_client').findOne({ _id: created.client.clientId as never });
      expect(stored).toBeTruthy();
      expect(JSON.stringify(stored)).not.toContain(created.clientSecret);
      expect(JSON.stringify(stored)).not.toContain(created.clientSecret.slice(4));
      expect(stored!.payload.client_secret_sealed).toEqual(expect.any(String));
      // the secret is shown once: the listing has none
      const listed = await t.call<any>('query ($p: ID!) { partner(id: $p) { oauthClients { clientId scopes } } }', { p: partner }, ADMIN);
      expect(JSON.stringify(listed.data)).not.toContain(created.clientSecret);
      expect(listed.data!.partner.oauthClients).toEqual([{ clientId: created.client.clientId, scopes: ['catalog:read'] }]);
      // deleted: no more tokens, and the ones issued are refused by the router
      const del = await t.call<any>('mutation ($p: ID!, $c: ID!) { deleteOAuthClient(partnerId: $p, clientId: $c) { deleted userErrors { code } } }', { p: partner, c: created.client.clientId }, ADMIN);
      expect(del.data!.deleteOAuthClient.deleted).toBe(true);
      await expect(oauth.clientCredentialsGrant(config, { scope: 'catalog:read' })).rejects.toSatisfy(oauthError('invalid_client'));
      expect(await sessionState(redis, { sub: created.client.clientId, issuedAtMs: issuedAtMsOf(claims as never) })).toBe('ended');
    });

    it('cannot introspect or revoke another client\'s tokens', async () => {
      const shopperTokens = await logInWithPkce(await storefront());
      const partner = (await t.call<any>(CREATE_PARTNER, { name: `Partner ${Date.now()}c` }, ADMIN)).data!.createPartner.partner.id;
      const created = (await t.call<any>(CREATE_CLIENT, { p: partner, n: 'Probe', s: ['catalog:read'] }, ADMIN)).data!.createOAuthClient;
      const config = await oauth.discovery(new URL(issuer), created.client.clientId, undefined, oauth.ClientSecretBasic(created.clientSecret), insecure);
      expect((await oauth.tokenIntrospection(config, shopperTokens.refresh_token!)).active).toBe(false);
      await oauth.tokenRevocation(config, shopperTokens.refresh_token!).catch(() => undefined);
      // still the shopper's
      expect((await oauth.tokenIntrospection(await storefront(), shopperTokens.refresh_token!)).active).toBe(true);
    });

    it('refuse unknown scopes at creation', async () => {
      const partner = (await t.call<any>(CREATE_PARTNER, { name: `Partner ${Date.now()}b` }, ADMIN)).data!.createPartner.partner.id;
      const r = (await t.call<any>(CREATE_CLIENT, { p: partner, n: 'Bad', s: ['catalog:delete'] }, ADMIN)).data!.createOAuthClient;
      expect(r).toMatchObject({ client: null, clientSecret: null, userErrors: [{ code: 'INVALID_SCOPE', field: ['scopes'] }] });
    });
  });
});
