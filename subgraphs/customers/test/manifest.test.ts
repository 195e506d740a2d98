import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, operationId, parseManifest } from '../src/domain/partners/manifest.ts';

const op = (body: string, extra: Record<string, unknown> = {}) => ({ id: operationId(body), name: null, type: 'query', body, ...extra });
const manifest = (operations: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ format: MANIFEST_FORMAT, version: 1, operations, ...extra });

describe('parseManifest', () => {
  it('accepts an Apollo persisted query manifest and names anonymous operations from their body', () => {
    const r = parseManifest(manifest([op('query Products { categories { id } }'), op('mutation { touch }', { type: 'mutation', name: 'Touch' })]));
    expect(r).toEqual({
      ok: true,
      value: [
        { id: operationId('query Products { categories { id } }'), name: 'Products', type: 'query', body: 'query Products { categories { id } }' },
        { id: operationId('mutation { touch }'), name: 'Touch', type: 'mutation', body: 'mutation { touch }' },
      ],
    });
  });

  it('refuses what is not a manifest, with the path of every culprit', () => {
    const codes = (text: string) => {
      const r = parseManifest(text);
      return r.ok ? [] : r.errors.map((e) => e.field?.join('.'));
    };
    expect(codes('not json')).toEqual(['manifest']);
    expect(codes('[]')).toEqual(['manifest']);
    expect(codes(JSON.stringify({ format: 'other', version: 2, operations: [] }))).toEqual(['manifest.format', 'manifest.version']);
    expect(codes(manifest([{ ...op('{ a }'), id: 'f'.repeat(64) }]))).toEqual(['manifest.operations[0].id']);
    expect(codes(manifest([op('{ a }'), op('{ a }')]))).toEqual(['manifest.operations[1].id']);
    expect(codes(manifest([op('{ a ')]))).toEqual(['manifest.operations[0].body']);
    expect(codes(manifest([op('{ a } { b }')]))).toEqual(['manifest.operations[0].body']);
    expect(codes(manifest([op('{ a }', { type: 'mutation' })]))).toEqual(['manifest.operations[0].type']);
    expect(codes(manifest([op('{ a }', { type: 'delete' })]))).toEqual(['manifest.operations[0].type']);
    expect(codes(manifest([op('x'.repeat(60_000))]))).toEqual(['manifest.operations[0].body']);
    expect(codes(manifest(Array.from({ length: 1001 }, (_, i) => op(`{ a${i} }`))))).toEqual(['manifest.operations']);
  });

  it('reports at most 20 problems', () => {
    const r = parseManifest(manifest(Array.from({ length: 50 }, () => ({ id: 'x', body: '{ a }', type: 'query' }))));
    expect(r.ok ? 0 : r.errors.length).toBe(20);
  });
});
