import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print, visit, type DefinitionNode, type DocumentNode } from 'graphql';
import { ROOT } from './subgraphs.ts';

/**
 * The client contract, operation by operation, exactly as clients send it. test/contract holds a
 * copy of ../shared/contract (a test checks they are identical whenever ../shared is present)
 * and, in its other files, the operations the project added since (e.g. support.graphql).
 */
export const CONTRACT_FILES = ['storefront.graphql', 'admin.graphql', 'support.graphql', 'intelligence.graphql', 'accounts.graphql', 'identity.graphql', 'webhooks.graphql'];
export const CONTRACT_DIR = join(ROOT, 'test', 'contract');
let documents: DocumentNode[] | undefined;

/** One contract operation's text, with the fragments it uses. */
export function contractOperation(name: string): string {
  documents ??= CONTRACT_FILES.map((f) => parse(readFileSync(join(CONTRACT_DIR, f), 'utf8')));
  for (const doc of documents) {
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition' && d.name?.value === name);
    if (!op) continue;
    const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])));
    const used = new Set<DefinitionNode>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(s) {
          const f = fragments.get(s.name.value);
          if (f && !used.has(f)) {
            used.add(f);
            collect(f);
          }
        },
      });
    collect(op);
    return [op, ...used].map((d) => print(d)).join('\n\n');
  }
  throw new Error(`no operation ${name} in the contract`);
}
