import { createHash } from 'node:crypto';

/**
 * What the customers subgraph (which owns partners and their keys) and the router (which enforces
 * them) agree on: the API key header, how a key is hashed, and the Redis keys of the projection
 * the router reads. Redis holds a projection only; the customers database is the source of truth
 * and the customers service rewrites the projection at start.
 */
export const API_KEY_HEADER = 'x-api-key';

/**
 * API keys are 256-bit random secrets, so a plain SHA-256 is the right hash (as for GitHub or
 * Stripe keys): a slow KDF protects guessable passwords, and would cost every partner request.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** hash of an active API key → partner id */
export function partnerKeyRedisKey(keyHash: string): string {
  return `edge:partner-key:${keyHash}`;
}

/** hash (field: operation id = sha256 of the body → body), plus `__version` of the projected manifest */
export function partnerOperationsRedisKey(partnerId: string): string {
  return `edge:partner-ops:${partnerId}`;
}

/** the hash field that records which partner version the operations were projected from */
export const PARTNER_OPERATIONS_VERSION_FIELD = '__version';
