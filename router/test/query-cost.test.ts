import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualCost, requestedCost } from '../src/cost/query-cost.ts';
import { apiSchemaOf } from '../../scripts/lib/manifest.ts';

const schema = buildSchema(/* GraphQL */ `
  type Money { amount: String! }
  type Variant { id: ID! price: Money! }
  type Product { id: ID! title: String! price: Money! variants: [Variant!]! related(limit: Int): [Product!]! }
  type ProductEdge { node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! total: Int! }
  interface Named { name: String! }
  type Tag implements Named { name: String! owner: Product }
  type Query { product: Product products(first: Int = 20): ProductConnection! tags: [Named!]! hello: String }
  type Mutation { touch: Product! ping: String }
`);

const OPTS = { defaultListSize: 5, mutationCost: 10 };
function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { requested: requestedCost(schema, document, operation, variables, OPTS), actual: (data: unknown) => actualCost(document, operation, data, OPTS) };
}

describe('requested cost', () => {
  it('counts objects, not scalars', () => {
    expect(cost('{ hello }').requested).toBe(0);
    expect(cost('{ product { id title } }').requested).toBe(1);
    expect(cost('{ product { id price { amount } } }').requested).toBe(2);
  });

  it('multiplies a list by its size argument, from the field or its connection', () => {
    // products 1 + edges 20 × (1 + node (1 + price 1))
    expect(cost('{ products(first: 20) { edges { node { price { amount } } } } }').requested).toBe(1 + 20 * 3);
    expect(cost('query ($n: Int) { products(first: $n) { nodes { id } } }', { n: 7 }).requested).toBe(1 + 7);
    expect(cost('{ product { related(limit: 3) { id } } }').requested).toBe(1 + 3);
  });

  it('assumes the default list size where nothing says how long a list is', () => {
    expect(cost('{ product { variants { price { amount } } } }').requested).toBe(1 + 5 * 2);
  });

  it('expands fragments and counts every branch of an abstract type', () => {
    expect(cost('{ ...F } fragment F on Query { product { ...P } } fragment P on Product { price { amount } }').requested).toBe(2);
    expect(cost('{ tags { ... on Tag { owner { id } } } }').requested).toBe(5 * 2);
  });

  it('adds the mutation cost per top-level mutation field', () => {
    expect(cost('mutation { touch { id } ping }').requested).toBe(1 + 2 * 10);
  });

  it('stays bounded for a cyclic document (validation refuses it anyway)', () => {
    expect(cost('{ product { ...A } } fragment A on Product { related(limit: 2) { ...A } }').requested).toBe(1 + 2);
  });
});

describe('actual cost', () => {
  it('counts the objects that came back', () => {
    const q = cost('{ products(first: 20) { edges { node { price { amount } } } } }');
    const edges = Array.from({ length: 3 }, () => ({ node: { price: { amount: '1.00' } } }));
    expect(q.actual({ products: { edges } })).toBe(1 + 3 * 3);
    expect(q.actual({ products: { edges: [] } })).toBe(1);
    expect(q.actual(null)).toBe(0);
  });

  it('follows aliases and fragments', () => {
    const q = cost('{ a: product { ...P } b: product { id } } fragment P on Product { p: price { amount } }');
    expect(q.actual({ a: { p: { amount: '1' } }, b: { id: '1' } })).toBe(2 + 1);
  });
});

describe('the client contract', () => {
  it('stays under the default cost ceiling for every operation, at the largest page sizes', () => {
    const root = join(import.meta.dirname, '..', '..');
    const api = apiSchemaOf(readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8'));
    for (const file of ['storefront.graphql', 'admin.graphql']) {
      const document = parse(readFileSync(join(root, 'test', 'contract', file), 'utf8'));
      for (const op of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
        const c = requestedCost(api, document, op, { first: 100 }, { defaultListSize: 5, mutationCost: 10 });
        expect.soft(c, `${op.name?.value} costs ${c}`).toBeLessThanOrEqual(3000);
      }
    }
  });
});
