/**
 * Composes schema/supergraph.graphql from every subgraph's src/schema.graphql with
 * @apollo/composition (no running server). Fails on composition errors.
 * `--check` fails when the committed supergraph differs from a fresh composition (CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { listSubgraphs, ROOT } from './lib/subgraphs.ts';

export const SUPERGRAPH_PATH = join(ROOT, 'schema', 'supergraph.graphql');
/** the value types every subgraph shares; appended to each subgraph's SDL */
const SHARED_TYPES = join(ROOT, 'schema', 'shared-types.graphql');

export function composeSupergraph(): string {
  const subgraphs = listSubgraphs().map((s) => ({
    name: s.name,
    // the default address of each subgraph; the router overrides it with <NAME>_URL
    url: `http://127.0.0.1:${s.port}/graphql`,
    typeDefs: parse(`${readFileSync(s.schemaPath, 'utf8')}\n${readFileSync(SHARED_TYPES, 'utf8')}`),
  }));
  const result = composeServices(subgraphs);
  if (result.errors?.length) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl!;
}

if (process.argv[1] && import.meta.url.endsWith(relative(process.cwd(), process.argv[1]).replace(/^\.\//, ''))) {
  const check = process.argv.includes('--check');
  let sdl: string;
  try {
    sdl = composeSupergraph();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (committed !== sdl) {
      console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result');
      process.exit(1);
    }
    console.log('schema/supergraph.graphql is current');
  } else {
    writeFileSync(SUPERGRAPH_PATH, sdl);
    console.log(`composed ${listSubgraphs().map((s) => s.name).join(', ')} → schema/supergraph.graphql`);
  }
}
