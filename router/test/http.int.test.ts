import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

describe('router HTTP surface (development)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ nodeEnv: 'development' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the Sandbox at GET /graphql for browsers, and leads GET / there', async () => {
    const page = await fetch(stack.router.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('embeddable-sandbox');
    const root = await fetch(`${stack.router.origin}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
  });

  it('allows introspection in development', async () => {
    const res = await post(stack.router.url, { query: '{ __schema { queryType { name } } }' });
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('blocks a simple GET without a preflight-forcing header (CSRF prevention)', async () => {
    const res = await fetch(`${stack.router.url}?query=${encodeURIComponent('{ hello }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
  });

  it('answers GET queries that carry apollo-require-preflight', async () => {
    const res = await fetch(`${stack.router.url}?query=${encodeURIComponent('{ hello }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { hello: 'world' } });
  });

  it('refuses a mutation over GET with 405', async () => {
    const before = stack.echo.seen.length;
    const res = await fetch(`${stack.router.url}?query=${encodeURIComponent('mutation { touch }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(stack.echo.seen.length).toBe(before);
    const viaPost = await post(stack.router.url, { query: 'mutation { touch }' });
    expect(viaPost.data).toEqual({ touch: 'touched' });
  });

  it('blocks a text/plain POST (CSRF) and non-JSON bodies', async () => {
    const plain = await fetch(stack.router.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { touch }' }) });
    expect(plain.status).toBe(400);
    const broken = await post(stack.router.url, '{"query": ');
    expect(broken.status).toBe(400);
    expect(broken.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('answers CORS preflights (any origin in development)', async () => {
    const res = await fetch(stack.router.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses other methods on /graphql with 405', async () => {
    const res = await fetch(stack.router.url, { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
  });

  it('passes internal errors through in development (with the subgraph message)', async () => {
    const res = await post(stack.router.url, { query: '{ boom }' });
    expect(res.errors?.[0]?.message).toContain('E11000');
  });
});
