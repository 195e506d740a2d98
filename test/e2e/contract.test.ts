import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { contractOperation, CONTRACT_DIR, CONTRACT_FILES } from '../../scripts/lib/contract.ts';

/**
 * Every operation of the project's client contract (the given one and the operations added since,
 * test/contract/*.graphql) is valid against the committed supergraph, as ../shared/tools/
 * check-contract.mjs checks the given part in CI.
 */
// the CommonJS graphql that @apollo/federation-internals builds its schema with (one realm)
const require = createRequire(import.meta.url);
const { parse, validate } = require('graphql') as typeof import('graphql');
const { Supergraph } = require('@apollo/federation-internals') as typeof import('@apollo/federation-internals');
const api = Supergraph.build(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8')).apiSchema().toGraphQLJSSchema();

describe('the client contract against the supergraph', () => {
  for (const file of CONTRACT_FILES) {
    const ops = parse(readFileSync(join(CONTRACT_DIR, file), 'utf8')).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    it(`${file}: every operation validates (${ops.length})`, () => {
      expect(ops.length).toBeGreaterThan(0);
      const invalid = ops.flatMap((op) => validate(api, parse(contractOperation(op.name!.value))).map((e) => `${op.name!.value}: ${e.message}`));
      expect(invalid).toEqual([]);
    });
  }
});
