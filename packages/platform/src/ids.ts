import { randomBytes } from 'node:crypto';

/**
 * Opaque, type-prefixed IDs (`prod_…`, `var_…`, `cust_…`) so a log line says what it names.
 * The body starts with the creation time in base36 (fixed width), so IDs sort by creation —
 * which keeps "newest first" and cursors stable without a separate sequence.
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const rand = randomBytes(8).toString('hex');
  return `${prefix}_${time}${rand}`;
}

const ID_BODY = /^[0-9a-z]{9}[0-9a-f]{16}$/;
/** True when `id` has the given prefix and a well-formed body (rejects malformed IDs early). */
export function isId(prefix: string, id: string): boolean {
  return id.startsWith(`${prefix}_`) && ID_BODY.test(id.slice(prefix.length + 1));
}
