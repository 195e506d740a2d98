import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { startRouter, type RunningRouter } from '../src/index.ts';
import { startStack, type Stack } from './support.ts';

/**
 * Automatic persisted queries as a real Apollo Client app uses them: the persisted-queries link
 * sends the hash alone, gets PERSISTED_QUERY_NOT_FOUND the first time, retries with the text,
 * and from then on — on any router instance sharing the Redis — the hash alone is enough.
 */
let stack: Stack;
let second: RunningRouter;
beforeAll(async () => {
  stack = await startStack();
  second = await startRouter(stack.env);
});
afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

interface Sent {
  method: string;
  hasQuery: boolean;
  hash?: string;
  status: number;
}

/** An Apollo Client app with the persisted-queries link, recording what went over the wire. */
function app(url: string, opts: { useGET?: boolean } = {}) {
  const sent: Sent[] = [];
  const fetchSpy: typeof fetch = async (input, init) => {
    const target = new URL(String(input));
    const body = init?.body ? (JSON.parse(String(init.body)) as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } }) : undefined;
    const ext = body?.extensions ?? (target.searchParams.get('extensions') ? JSON.parse(target.searchParams.get('extensions')!) : undefined);
    const res = await fetch(input, init);
    sent.push({
      method: init?.method ?? 'GET',
      hasQuery: !!(body?.query ?? target.searchParams.get('query')),
      hash: ext?.persistedQuery?.sha256Hash,
      status: res.status,
    });
    return res;
  };
  const link = new PersistedQueryLink({
    sha256: (text: string) => createHash('sha256').update(text).digest('hex'),
    useGETForHashedQueries: opts.useGET ?? false,
  }).concat(new HttpLink({ uri: url, fetch: fetchSpy, headers: { 'apollo-require-preflight': 'true' } }));
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

describe("Apollo Client's persisted-queries link", () => {
  it('registers a query on a miss, then sends only its hash — to either router instance', async () => {
    // a query text no earlier run registered: its hash is new to Redis
    const marker = `m${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const query = gql(`query Hello_${marker} { hello ${marker}: hello }`);

    const first = app(stack.router.url);
    const r1 = await first.client.query({ query, fetchPolicy: 'network-only' });
    expect(r1.data).toEqual({ hello: 'world', [marker]: 'world' });
    expect(first.sent.map((s) => s.hasQuery)).toEqual([false, true]); // hash only → miss → with text
    expect(first.sent[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const other = app(second.url, { useGET: true });
    const r2 = await other.client.query({ query, fetchPolicy: 'network-only' });
    expect(r2.data).toEqual({ hello: 'world', [marker]: 'world' });
    expect(other.sent).toEqual([{ method: 'GET', hasQuery: false, hash: first.sent[0]!.hash, status: 200 }]);
  });

  it('sends mutations over POST even with GET for hashed queries', async () => {
    const { client, sent } = app(stack.router.url, { useGET: true });
    const r = await client.mutate({ mutation: gql('mutation Touch { touch }') });
    expect(r.data).toEqual({ touch: 'touched' });
    expect(sent.every((s) => s.method === 'POST')).toBe(true);
  });
});
