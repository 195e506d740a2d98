import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DOMAINS } from '@commerce/platform';
import { rootFieldOwners } from '../src/plugins/use-scopes.ts';

const supergraph = readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8');

describe('root field owners (what a client-credentials scope covers)', () => {
  const owners = rootFieldOwners(supergraph);

  it('name the subgraph of each root field', () => {
    expect(owners.query.get('products')).toEqual(['catalog']);
    expect(owners.query.get('me')).toEqual(['customers']);
    expect(owners.mutation.get('createCategory')).toEqual(['catalog']);
    expect(owners.mutation.get('placeOrder')).toEqual(['orders']);
  });

  it('cover every root field, each owned by a domain that has scopes', () => {
    const domains = new Set<string>(API_DOMAINS);
    for (const [field, graphs] of [...owners.query, ...owners.mutation]) {
      expect(graphs.length, field).toBeGreaterThan(0);
      for (const g of graphs) expect(domains.has(g), `${field} is owned by ${g}, which has no scopes in API_DOMAINS`).toBe(true);
    }
  });
});
