import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

describe('router in production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ nodeEnv: 'production' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses introspection', async () => {
    const res = await post(stack.router.url, { query: '{ __schema { types { name } } }' });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('gives no "Did you mean" suggestions', async () => {
    const res = await post(stack.router.url, { query: '{ helo }' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe('Cannot query field "helo" on type "Query".');
    expect(res.text).not.toMatch(/Did you mean/);
    const arg = await post(stack.router.url, { query: '{ slow(mss: 1) }' });
    expect(arg.text).not.toMatch(/Did you mean/);
  });

  it('masks internal errors: no message, stack or subgraph detail reaches the client', async () => {
    const res = await post(stack.router.url, { query: '{ hello boom }' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ hello: 'world', boom: null });
    expect(res.errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(res.text).not.toMatch(/E11000|mongodb|stacktrace|echo/);
  });

  it('keeps public errors (FORBIDDEN) with their code, without private extensions', async () => {
    const res = await post(stack.router.url, { query: '{ secret }' });
    expect(res.errors?.[0]).toMatchObject({ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } });
    expect(res.errors?.[0]?.extensions).not.toHaveProperty('serviceName');
    expect(res.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
  });

  it('masks a subgraph that is down (no internal URL leaks)', async () => {
    await stack.echo.server.stop();
    const res = await post(stack.router.url, { query: '{ hello }' });
    expect(res.errors?.[0]).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(res.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    const ready = await fetch(`${stack.router.origin}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${stack.router.origin}/health`)).status).toBe(200);
  });

  it('serves no landing page', async () => {
    const page = await fetch(stack.router.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await page.text()).not.toContain('sandbox');
    const root = await fetch(`${stack.router.origin}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(root.status).toBe(404);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const res = await fetch(stack.router.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
