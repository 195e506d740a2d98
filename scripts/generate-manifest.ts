/**
 * `npm run manifest -- <folder of .graphql operations> [--out <file>] [--check]`
 * Writes an Apollo persisted query manifest (apollo-persisted-query-manifest, version 1) for a
 * partner: every named operation in the folder, validated against schema/supergraph.graphql.
 * Default output: `<folder>.manifest.json`. `--check` fails when that file is stale (CI).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiSchemaOf, generateManifest } from './lib/manifest.ts';
import { ROOT } from './lib/subgraphs.ts';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const check = args.includes('--check');
const dirs = args.filter((a, i) => !a.startsWith('--') && !(outIndex >= 0 && i === outIndex + 1));
if (dirs.length !== 1 || !existsSync(dirs[0]!)) {
  console.error('usage: npm run manifest -- <folder of .graphql operations> [--out <file>] [--check]');
  process.exit(2);
}
const dir = resolve(dirs[0]!);
const target = resolve(out ?? `${dir.replace(/\/$/, '')}.manifest.json`);
try {
  const schema = apiSchemaOf(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
  const text = `${JSON.stringify(generateManifest(dir, schema), null, 2)}\n`;
  if (check) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      console.error(`${target} is stale: run npm run manifest -- ${dirs[0]}`);
      process.exit(1);
    }
    console.log(`${target} is current`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${JSON.parse(text).operations.length} operations to ${target}`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
