import { readFileSync } from 'node:fs';

/** The value types every subgraph shares (Money, UserError, PageInfo, DateTime), declared once. */
export const SHARED_TYPES_URL = new URL('../../../schema/shared-types.graphql', import.meta.url);

/**
 * A subgraph's SDL: its own `schema.graphql` (next to the calling module) followed by the shared
 * value types. Compose and codegen read the same two files.
 */
export function loadSubgraphTypeDefs(moduleUrl: string): string {
  return `${readFileSync(new URL('./schema.graphql', moduleUrl), 'utf8')}\n${readFileSync(SHARED_TYPES_URL, 'utf8')}`;
}
