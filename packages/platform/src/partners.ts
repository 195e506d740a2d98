import { createHash } from 'node:crypto';

/**
 * What the customers subgraph (which owns partners and their keys) and the router (which enforces
 * them) agree on: the API key header, how a key is hashed, and the Redis keys of the projection
 * the router reads. Redis holds a projection only; the customers database is the source of truth.
 * The customers service writes the projection after every commit, again when a revoke is retried,
 * at start and periodically (PARTNERS_RECONCILE_EVERY_MS); every write is versioned, so a late or
 * stale one can never put an older state back (security review finding 4).
 */
export const API_KEY_HEADER = 'x-api-key';

/**
 * API keys are 256-bit random secrets, so a plain SHA-256 is the right hash (as for GitHub or
 * Stripe keys): a slow KDF protects guessable passwords, and would cost every partner request.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** hash of an API key → its record (encodePartnerKeyRecord), active or revoked */
export function partnerKeyRedisKey(keyHash: string): string {
  return `edge:partner-key:${keyHash}`;
}

/** hash (field: operation id = sha256 of the body → body), plus `__version` of the projected manifest */
export function partnerOperationsRedisKey(partnerId: string): string {
  return `edge:partner-ops:${partnerId}`;
}

/** the hash field that records which partner version the operations were projected from */
export const PARTNER_OPERATIONS_VERSION_FIELD = '__version';

export type PartnerKeyStatus = 'active' | 'revoked';

/**
 * The projected state of one API key: the partner's version it was projected from, whether the
 * key is active, and the partner. A revoked key keeps its record (a tombstone) instead of being
 * deleted, so the version of the revoke stays in Redis and an older projection cannot restore
 * the key.
 */
export interface PartnerKeyRecord {
  version: number;
  status: PartnerKeyStatus;
  partnerId: string;
}

/** `<version>:<status>:<partner id>`; the projection's Lua script reads the leading version. */
export function encodePartnerKeyRecord(r: PartnerKeyRecord): string {
  return `${r.version}:${r.status}:${r.partnerId}`;
}

const RECORD = /^([1-9]\d{0,15}):(active|revoked):(ptnr_[0-9a-z]{1,64})$/;

/**
 * The record of a stored value, or null for anything else (no value, an older format, a value
 * nobody wrote through encodePartnerKeyRecord). The router lets only a decoded `active` record in:
 * whatever it cannot read is a rejected key.
 */
export function decodePartnerKeyRecord(value: string | null | undefined): PartnerKeyRecord | null {
  if (!value) return null;
  const m = RECORD.exec(value);
  if (!m) return null;
  return { version: Number(m[1]), status: m[2] as PartnerKeyStatus, partnerId: m[3]! };
}
