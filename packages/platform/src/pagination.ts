/**
 * Relay-style cursor pagination helpers. Cursors are opaque (base64url JSON) but carry the sort
 * key and the id, so a page boundary is a position in the order — stable when items are inserted
 * concurrently — rather than an offset.
 */
export const MAX_PAGE_SIZE = 100;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, isValid: (v: unknown) => v is T): T | undefined {
  if (cursor.length > 512) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return isValid(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
