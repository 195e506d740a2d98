import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { testLogger } from '@commerce/testing';
import { useAuth } from '../src/plugins/use-auth.ts';
import type { RouterRequest } from '../src/context.ts';
import { post, startStack, type Stack } from './support.ts';

describe('useAuth through the router', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const expectUnauthenticated = (res: Awaited<ReturnType<typeof post>>) => {
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(res.data).toBeUndefined();
  };
  const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const query = { query: '{ whoami { id } }' };

  it('accepts a valid token and fetches the JWKS once for many requests', async () => {
    const before = stack.issuer.requests();
    for (let i = 0; i < 5; i++) {
      const res = await post(stack.router.url, query, asBearer(await stack.issuer.token({ sub: `cust_${i}` })));
      expect(res.data).toEqual({ whoami: { id: `cust_${i}` } });
    }
    expect(stack.issuer.requests() - before).toBeLessThanOrEqual(1);
  });

  it('rejects a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expectUnauthenticated(await post(stack.router.url, query, asBearer(await stack.issuer.token({ key: privateKey }))));
  });

  it('rejects an expired token', async () => {
    const res = await post(stack.router.url, query, asBearer(await stack.issuer.token({ expiresIn: Math.floor(Date.now() / 1000) - 60 })));
    expectUnauthenticated(res);
    expect(res.errors?.[0]?.message).toBe('Access token expired');
  });

  it('rejects a wrong issuer and a wrong audience', async () => {
    expectUnauthenticated(await post(stack.router.url, query, asBearer(await stack.issuer.token({ issuer: 'someone-else' }))));
    expectUnauthenticated(await post(stack.router.url, query, asBearer(await stack.issuer.token({ audience: 'partner-api' }))));
  });

  it('rejects HS256 tokens (no algorithm confusion) and unknown key ids', async () => {
    const hs = await new SignJWT({ roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256', kid: stack.issuer.kid })
      .setSubject('cust_x')
      .setIssuer('commerce-customers')
      .setAudience('commerce')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-guessable-secret-of-some-length'));
    expectUnauthenticated(await post(stack.router.url, query, asBearer(hs)));
    expectUnauthenticated(await post(stack.router.url, query, asBearer(await stack.issuer.token({ kid: 'unknown-kid' }))));
  });

  it('rejects garbage and non-Bearer schemes with 401, never a 500', async () => {
    expectUnauthenticated(await post(stack.router.url, query, asBearer('not-a-jwt')));
    expectUnauthenticated(await post(stack.router.url, query, asBearer('a.b.c')));
    expectUnauthenticated(await post(stack.router.url, query, { authorization: 'Basic dXNlcjpwYXNz' }));
  });

  it('leaves health and metrics alone', async () => {
    const res = await fetch(`${stack.router.origin}/health`, { headers: { authorization: 'Bearer garbage' } });
    expect(res.status).toBe(200);
  });
});

describe('useAuth when the JWKS cannot be fetched', () => {
  it('answers 503 SERVICE_UNAVAILABLE, not 401 and not 500', async () => {
    const plugin = useAuth({
      jwksUrl: 'http://127.0.0.1:9/jwks.json',
      issuer: 'commerce-customers',
      audience: 'commerce',
      oauthIssuer: 'http://127.0.0.1:9/oauth',
      redis: null as never, // never reached: the key lookup fails first
      keys: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setSubject('c').setExpirationTime('1m').sign(privateKey);
    const r = {
      route: 'graphql',
      req: { headers: { authorization: `Bearer ${token}` } },
      context: { user: null, logger: testLogger },
    } as unknown as RouterRequest;
    const early = await plugin.onRequest!(r);
    expect(early?.status).toBe(503);
    expect(early?.errorCodes).toEqual(['SERVICE_UNAVAILABLE']);
  });
});
