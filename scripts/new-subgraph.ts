/**
 * Creates a new subgraph from templates/subgraph — the one way to start a subgraph, so every
 * subgraph has the same rooms. Usage: npm run new-subgraph -- <name>
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listSubgraphs, ROOT } from './lib/subgraphs.ts';

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9]*$/.test(name)) {
  console.error('usage: npm run new-subgraph -- <name>   (lower-case letters and digits, e.g. "wishlists")');
  process.exit(2);
}
const target = join(ROOT, 'subgraphs', name);
if (existsSync(target)) {
  console.error(`subgraphs/${name} already exists`);
  process.exit(1);
}
const port = Math.max(4000, ...listSubgraphs().map((s) => s.port)) + 1;
const pascal = name[0]!.toUpperCase() + name.slice(1);
const fill = (text: string) => text.replaceAll('__NAME__', name.toUpperCase()).replaceAll('__Name__', pascal).replaceAll('__name__', name).replaceAll('__PORT__', String(port));

function copy(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const dst = join(to, fill(entry));
    if (statSync(src).isDirectory()) copy(src, dst);
    else writeFileSync(dst, fill(readFileSync(src, 'utf8')));
  }
}
copy(join(ROOT, 'templates', 'subgraph'), target);

appendFileSync(
  join(ROOT, 'codegen.yml'),
  `  subgraphs/${name}/src/__generated__/resolvers-types.ts:\n    schema: [subgraphs/${name}/src/schema.graphql, schema/shared-types.graphql]\n    plugins: [typescript, typescript-resolvers]\n`,
);
console.log(`created ${relative(ROOT, target)} on port ${port}. Next:
  npm install            # links the new workspace
  npm run codegen        # resolver types from src/schema.graphql
  npm run compose        # adds it to schema/supergraph.graphql
  # its NATS user: an entry in SERVICE_EVENTS (packages/events/src/nats-permissions.ts), then
  npm run nats:config    # deploy/nats/users.conf, deploy/k8s/infra/nats-users.values.yaml
  npx vitest run subgraphs/${name}`);
