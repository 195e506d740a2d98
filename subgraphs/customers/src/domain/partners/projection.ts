import {
  PARTNER_OPERATIONS_VERSION_FIELD,
  partnerKeyRedisKey,
  partnerOperationsRedisKey,
  type Redis,
} from '@commerce/platform';
import type { PartnerDoc } from '../../model/partner.model.ts';

/**
 * Applies one committed version of a partner to Redis, in one script (atomic for every router):
 *
 * - each API key's record (`<version>:<active|revoked>:<partner id>`, see encodePartnerKeyRecord)
 *   is written only when the stored record is older than this version (or missing, or in a format
 *   without a version). A revoked key is written as a tombstone, never deleted, so the version of
 *   the revoke stays and a late writer of an older version — a start-up projection or reconcile
 *   that read the partner before the revoke, a commit's projection delayed past the next one —
 *   finds a newer record and leaves it.
 * - the safelist (operation id → body) is replaced unless a newer version is already there.
 *
 * KEYS: [operations hash, key record 1, …, key record n]
 * ARGV: [version, partner id, status of key 1, …, status of key n, op id, op body, …]
 * Returns how many key records were written.
 */
const PROJECT_PARTNER = `
local version = tonumber(ARGV[1])
local keyCount = #KEYS - 1
local written = 0
for i = 1, keyCount do
  local current = redis.call('GET', KEYS[i + 1])
  local currentVersion = 0
  if current then
    local v = string.match(current, '^(%d+):')
    if v then currentVersion = tonumber(v) end
  end
  if currentVersion < version then
    redis.call('SET', KEYS[i + 1], ARGV[1] .. ':' .. ARGV[i + 2] .. ':' .. ARGV[2])
    written = written + 1
  end
end
local opsVersion = tonumber(redis.call('HGET', KEYS[1], '${PARTNER_OPERATIONS_VERSION_FIELD}') or '0') or 0
if opsVersion <= version then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], '${PARTNER_OPERATIONS_VERSION_FIELD}', ARGV[1])
  for i = keyCount + 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return written
`;

export type ProjectablePartner = Pick<PartnerDoc, '_id' | 'apiKeys' | 'operations' | 'version'>;

/**
 * Writes what the router needs of one committed partner version to Redis: each key's record
 * (active, or revoked as a tombstone) and the safelist. Idempotent and convergent: whatever order
 * projections of different versions arrive in, Redis ends at the newest one. Run after every
 * commit, when a revoke is retried, at start and by the periodic reconcile.
 */
export async function projectPartner(redis: Redis, partner: ProjectablePartner): Promise<number> {
  const keys = [partnerOperationsRedisKey(partner._id), ...partner.apiKeys.map((k) => partnerKeyRedisKey(k.hash))];
  const args = [
    String(partner.version),
    partner._id,
    ...partner.apiKeys.map((k) => (k.revokedAt ? 'revoked' : 'active')),
    ...partner.operations.flatMap((op) => [op.id, op.body]),
  ];
  return (await redis.eval(PROJECT_PARTNER, keys.length, ...keys, ...args)) as number;
}
