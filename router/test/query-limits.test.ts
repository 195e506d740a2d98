import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { aliasCount, directiveCount, maxAliasesRule, maxDepthRule, queryDepth } from '../src/plugins/query-limits.ts';

const depth = (q: string, max = 15) => queryDepth(parse(q), max);
const aliases = (q: string, max = 30) => aliasCount(parse(q), max);
const nested = (levels: number) => `{ ${'node { '.repeat(levels - 1)}id${' }'.repeat(levels - 1)} }`;

describe('queryDepth', () => {
  it('counts field nesting', () => {
    expect(depth('{ hello }')).toBe(1);
    expect(depth('{ a { b { c } } d }')).toBe(3);
    expect(depth(nested(15))).toBe(15);
  });
  it('follows fragments and inline fragments without counting them as levels', () => {
    expect(depth('query { a { ...F } } fragment F on T { b { ... on T { c { d } } } }')).toBe(4);
  });
  it('takes the deepest of several operations', () => {
    expect(depth('query A { a } query B { a { b { c } } }')).toBe(3);
  });
  it('stops at max + 1 however deep the query is', () => {
    expect(depth(nested(400), 15)).toBe(16);
  });
  it('treats fragment cycles as too deep instead of looping', () => {
    expect(depth('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', 15)).toBe(16);
  });
});

describe('aliasCount', () => {
  it('counts aliases, __typename aliases included', () => {
    expect(aliases('{ a: hello b: __typename c: __typename hello }')).toBe(3);
  });
  it('counts each fragment spread again', () => {
    expect(aliases('{ x: node { ...F } y: node { ...F } } fragment F on Node { a: id b: id }')).toBe(6);
  });
  it('does not explode on exponential fragment fan-out', () => {
    const frags = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Q { ${i === 29 ? 'a: x' : `...F${i + 1} ...F${i + 1}`} }`).join(' ');
    const started = performance.now();
    expect(aliases(`{ ...F0 } ${frags}`)).toBe(31);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('as validation rules', () => {
  const schema = buildSchema('type Query { hello: String, node: Node } type Node { id: ID, node: Node }');
  it('report a GRAPHQL_VALIDATION_FAILED error', () => {
    const [depthErr] = validate(schema, parse(nested(5)), [maxDepthRule(3)]);
    expect(depthErr?.message).toMatch(/maximum depth of 3/);
    expect(depthErr?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const [aliasErr] = validate(schema, parse('{ a: hello b: hello }'), [maxAliasesRule(1)]);
    expect(aliasErr?.message).toMatch(/maximum of 1 aliases/);
    expect(validate(schema, parse('{ a: hello }'), [maxDepthRule(3), maxAliasesRule(1)])).toEqual([]);
  });
});

describe('directiveCount', () => {
  it('counts directives on the operation, fields, inline fragments and fragment definitions, once per spread', () => {
    expect(directiveCount(parse('query Q @a { x @b @c { y } ... @d { z } }'), 50)).toBe(4);
    expect(directiveCount(parse('{ ...F ...F } fragment F on Query @a { x @b }'), 50)).toBe(4);
    expect(directiveCount(parse(`{ x ${'@include(if: true) '.repeat(100)} }`), 10)).toBe(11); // stops at the cap
  });
});
