import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

/** `{ node { child { … id } } }` nested `levels` deep (node and id count as levels) */
const nested = (levels: number) => `{ node { ${'child { '.repeat(levels - 2)}id ${'} '.repeat(levels - 2)}} }`;

describe('useRequestLimits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_MAX_BODY_BYTES: '20000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 413 for a body over the limit, before parsing, and keeps the connection usable', async () => {
    const before = stack.echo.seen.length;
    const big = JSON.stringify({ query: '{ hello }', variables: { pad: 'x'.repeat(30_000) } });
    const res = await post(stack.router.url, big);
    expect(res.status).toBe(413);
    expect(res.errors?.[0]?.message).toMatch(/larger than 20000 bytes/);
    expect(stack.echo.seen.length).toBe(before);
    expect((await post(stack.router.url, { query: '{ hello }' })).data).toEqual({ hello: 'world' });
  });

  it('answers 413 and closes the connection for a body far over the limit', async () => {
    const res = await post(stack.router.url, 'x'.repeat(2_000_000));
    expect(res.status).toBe(413);
  });

  it('accepts a query exactly at the depth limit (15)', async () => {
    const res = await post(stack.router.url, { query: nested(15) });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  it('rejects a depth bomb with 400 and a GraphQL error, fast, without reaching the subgraph', async () => {
    const before = stack.echo.seen.length;
    const started = performance.now();
    // also invalid against the schema: only the early depth check answers, Apollo never ran
    const res = await post(stack.router.url, { query: nested(16).replace('id', 'id nope') });
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/maximum depth of 15/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(performance.now() - started).toBeLessThan(200);
    expect(stack.echo.seen.length).toBe(before);
  });

  it('rejects a depth bomb hidden in fragments', async () => {
    const frags = Array.from({ length: 9 }, (_, i) => `fragment F${i} on Node { child { ${i === 8 ? 'id' : `...F${i + 1}`} } }`).join(' ');
    const res = await post(stack.router.url, { query: `{ node { child { child { child { child { child { child { child { ...F0 } } } } } } } } } ${frags}` });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects an alias bomb of __typename with 400', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const res = await post(stack.router.url, { query });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/maximum of 30 aliases/);
    const ok = await post(stack.router.url, { query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    expect(ok.status).toBe(200);
  });

  it('rejects an alias bomb multiplied through fragments', async () => {
    const res = await post(stack.router.url, { query: '{ ...A ...A ...A ...A } fragment A on Query { a: hello b: hello c: hello d: hello e: hello f: hello g: hello h: hello }' });
    expect(res.status).toBe(400);
  });

  it('rejects a document with too many tokens before validating it', async () => {
    const res = await post(stack.router.url, { query: `{ ${'a '.repeat(6000)} }` });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('reports syntax errors like Apollo does', async () => {
    const res = await post(stack.router.url, { query: '{ hello ' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('checks GET queries too', async () => {
    const url = `${stack.router.url}?query=${encodeURIComponent(nested(20))}`;
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(400);
  });
});
