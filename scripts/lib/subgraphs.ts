import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SubgraphInfo {
  /** folder and service name, e.g. `catalog` */
  name: string;
  dir: string;
  schemaPath: string;
  /** default port, from package.json `commerce.port` */
  port: number;
  /** the module that exports its start function */
  entry: string;
}

/** Every subgraph under subgraphs/, in port order: the single list start, compose and CI use. */
export function listSubgraphs(root = ROOT): SubgraphInfo[] {
  const base = join(root, 'subgraphs');
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'src', 'schema.graphql')))
    .map((d) => {
      const dir = join(base, d.name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { commerce?: { port?: number } };
      const port = pkg.commerce?.port;
      if (!port) throw new Error(`subgraphs/${d.name}/package.json needs "commerce": { "port": N }`);
      return { name: d.name, dir, schemaPath: join(dir, 'src', 'schema.graphql'), port, entry: join(dir, 'src', 'index.ts') };
    })
    .sort((a, b) => a.port - b.port);
}
