import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

/**
 * The hostile request set, against a production-mode router: each is answered with a 4xx or a
 * GraphQL error — never a 5xx — promptly, and none reaches the subgraph. Durations are printed
 * and bounded at one second: a limit that holds only after seconds of parsing or planning is the
 * trap these checks are for.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ nodeEnv: 'production', env: { ROUTER_MAX_DIRECTIVES: '20', RATE_LIMIT_ANONYMOUS: '1000000:1000000' } });
});
afterAll(() => stack?.stop());

const node = (levels: number) => `{ node { ${'child { '.repeat(levels)}id ${'} '.repeat(levels)}} }`;

const HOSTILE: Array<{ name: string; body: unknown; raw?: string; status: number; code?: string; headers?: Record<string, string> }> = [
  { name: 'deep (1,000 levels)', body: { query: node(1000) }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'deep through fragments', body: { query: `{ node { ...A } } ${Array.from({ length: 40 }, (_, i) => `fragment ${i ? `A${i}` : 'A'} on Node { child { ${i === 39 ? 'id' : `...A${i + 1}`} } }`).join(' ')}` }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'wide (50,000 fields)', body: { query: `{ ${'hello '.repeat(50_000)} }` }, status: 413 },
  { name: 'wide within the body limit (9,000 fields)', body: { query: `{ ${'hello '.repeat(9_000)} }` }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'alias-heavy (__typename × 1,500)', body: { query: `{ ${Array.from({ length: 1_500 }, (_, i) => `a${i}:__typename`).join(' ')} }` }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'aliases multiplied by fragments', body: { query: `{ ...F ...F ...F ...F ...F ...F } fragment F on Query { ${Array.from({ length: 10 }, (_, i) => `x${i}: hello`).join(' ')} }` }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'cyclic fragments', body: { query: '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'directive flood', body: { query: `{ hello ${'@include(if: true) '.repeat(500)} }` }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'huge body (3 MB)', raw: JSON.stringify({ query: `{ hello }`, variables: { pad: 'x'.repeat(3_000_000) } }), body: null, status: 413 },
  { name: 'batched operations', body: [{ query: '{ hello }' }, { query: '{ hello }' }], status: 400 },
  { name: 'many operations in one document', body: { query: Array.from({ length: 500 }, (_, i) => `query Q${i} { hello }`).join(' '), operationName: 'Q1' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'introspection in production', body: { query: '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'field suggestion probing', body: { query: '{ hell }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'malformed JSON', raw: '{"query": "{ hello }"', body: null, status: 400 },
  { name: 'unterminated string', body: { query: '{ hello(x: "' + 'a'.repeat(50_000) }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'variables of the wrong type', body: { query: 'query ($ms: Int!) { slow(ms: $ms) }', variables: { ms: 'forever' } }, status: 400, code: 'BAD_USER_INPUT' },
];

describe('the hostile request set (production router)', () => {
  for (const h of HOSTILE) {
    it(`${h.name}: ${h.status}${h.code ? ` ${h.code}` : ''}, never a 5xx, no subgraph call`, async () => {
      const before = stack.echo.seen.length;
      const started = performance.now();
      const res = await post(stack.router.url, h.raw ?? h.body, h.headers);
      const ms = performance.now() - started;
      console.log(`hostile ${h.name}: HTTP ${res.status} in ${ms.toFixed(1)} ms`);
      expect(res.status).toBe(h.status);
      if (h.code) expect(res.errors?.[0]?.extensions?.code).toBe(h.code);
      if (res.status < 413) expect(res.errors?.length).toBeGreaterThan(0);
      expect(ms).toBeLessThan(1000);
      expect(stack.echo.seen.length).toBe(before);
    });
  }

  it('says no more than needed: no field suggestions in production', async () => {
    const res = await post(stack.router.url, { query: '{ hell }' });
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('still answers a normal query after all of it', async () => {
    const res = await post(stack.router.url, { query: '{ hello }' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ hello: 'world' });
  });
});
