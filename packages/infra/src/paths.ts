import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfrastructureError } from './errors.ts';

/**
 * The repository root: the nearest directory at or above `from` whose package.json declares
 * "workspaces". Defaults to starting from this file, so it works whatever the current directory.
 */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = path.resolve(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // an unreadable package.json is not the root; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new InfrastructureError(`no package.json with "workspaces" found at or above ${from}; pass rootDir`);
}
