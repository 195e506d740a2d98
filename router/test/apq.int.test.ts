import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startStack, type Stack } from './support.ts';

/**
 * Automatic persisted queries (Apollo's protocol) kept in Redis: a query registered through one
 * router instance is known to every other.
 */
let a: Stack;
let b: Stack;
beforeAll(async () => {
  [a, b] = await Promise.all([startStack(), startStack()]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

const sha = (q: string) => createHash('sha256').update(q).digest('hex');
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries', () => {
  it('asks for the query on a miss, registers it, and serves it from every router instance', async () => {
    // a query text no other test registered, so the hash starts unknown
    const query = `query Apq_${randomUUID().replace(/-/g, '')} { hello }`;
    const hash = sha(query);
    const miss = await post(a.router.url, { extensions: apq(hash) });
    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await post(a.router.url, { query, extensions: apq(hash) });
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ hello: 'world' });

    const otherInstance = await post(b.router.url, { extensions: apq(hash) });
    expect(otherInstance.errors).toBeUndefined();
    expect(otherInstance.data).toEqual({ hello: 'world' });
  });

  it('refuses a query whose hash does not match', async () => {
    const r = await post(a.router.url, { query: '{ hello }', extensions: apq(sha('{ somethingElse }')) });
    expect(r.status).toBe(400);
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.message).toMatch(/sha/i);
  });
});
