import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support.ts';

/** GraphQL over HTTP: media types and status codes as the specification has them. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function call(init: RequestInit & { accept?: string }, search = '') {
  const res = await fetch(stack.router.url + search, { ...init, headers: { ...(init.accept ? { accept: init.accept } : {}), ...(init.headers as Record<string, string>) } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('GraphQL over HTTP', () => {
  it('answers application/graphql-response+json when the client accepts it', async () => {
    const r = await call({ method: 'POST', accept: 'application/graphql-response+json', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/graphql-response+json');
    expect(JSON.parse(r.body)).toMatchObject({ data: { hello: 'world' }, extensions: { cost: { requestedQueryCost: 0 } } });
  });

  it('answers 400 for a document that does not validate, under graphql-response+json', async () => {
    const r = await call({ method: 'POST', accept: 'application/graphql-response+json', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps application/json for clients that ask for it', async () => {
    const r = await call({ method: 'POST', accept: 'application/json', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/json');
  });

  it('runs queries over GET, never mutations', async () => {
    const q = await call({ method: 'GET', accept: 'application/graphql-response+json', headers: { 'apollo-require-preflight': 'true' } }, `?query=${encodeURIComponent('{ hello }')}`);
    expect(q.status).toBe(200);
    expect(JSON.parse(q.body).data).toEqual({ hello: 'world' });
    const m = await call({ method: 'GET', accept: 'application/graphql-response+json', headers: { 'apollo-require-preflight': 'true' } }, `?query=${encodeURIComponent('mutation { touch }')}`);
    expect(m.status).toBe(405);
  });

  it('refuses a body that is not JSON with 400, never a 5xx', async () => {
    const r = await call({ method: 'POST', accept: 'application/graphql-response+json', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(r.status).toBe(400);
  });
});
