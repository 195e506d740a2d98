import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import internals from '@apollo/federation-internals';
import { createRequire } from 'node:module';
import { buildSchema, Kind, parse, print, validate, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/** Apollo's persisted query manifest (the format `@apollo/generate-persisted-query-manifest` writes). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }>;
}

/**
 * The public API schema of a supergraph SDL (what clients validate against). Federation's
 * internals build it with graphql's CommonJS build; printed and rebuilt here, it belongs to
 * whichever graphql build this module loaded (ESM under tsx/vitest), so `validate` accepts it.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  const cjsGraphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
  return buildSchema(cjsGraphql.printSchema(internals.Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema()));
}

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? graphqlFiles(join(dir, e.name)) : /\.(graphql|gql)$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

function fragmentsUsedBy(op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const frag = fragments.get(name);
        if (!frag || used.has(name)) return;
        used.set(name, frag);
        walk(frag);
      },
    });
  walk(op);
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * Builds a manifest from every `.graphql` file under `dir`: one entry per named operation, its
 * body the printed operation followed by the fragments it uses (sorted), its id the sha256 of
 * that body. Each operation is validated against the API schema; names must be unique. Throws
 * with every problem found.
 */
export function generateManifest(dir: string, schema: GraphQLSchema): PersistedQueryManifest {
  const files = graphqlFiles(dir);
  const problems: string[] = [];
  const operations: Array<{ op: OperationDefinitionNode; file: string }> = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    let doc: DocumentNode;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${relative(dir, file)}: ${(err as Error).message}`);
      continue;
    }
    for (const def of doc.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(def.name.value)) problems.push(`${relative(dir, file)}: fragment ${def.name.value} is defined twice`);
        fragments.set(def.name.value, def);
      } else if (def.kind === Kind.OPERATION_DEFINITION) {
        if (!def.name) problems.push(`${relative(dir, file)}: every operation needs a name`);
        else operations.push({ op: def, file });
      }
    }
  }
  const names = new Set<string>();
  const out: PersistedQueryManifest['operations'] = [];
  for (const { op, file } of operations) {
    const name = op.name!.value;
    if (names.has(name)) problems.push(`${relative(dir, file)}: operation ${name} is defined twice`);
    names.add(name);
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op, ...fragmentsUsedBy(op, fragments)] };
    for (const e of validate(schema, document)) problems.push(`${relative(dir, file)}: ${name}: ${e.message}`);
    const body = print(document);
    out.push({ id: createHash('sha256').update(body).digest('hex'), name, type: op.operation, body });
  }
  if (problems.length) throw new Error(`cannot build the manifest:\n  ${problems.join('\n  ')}`);
  out.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: out };
}
