import {
  PARTNER_OPERATIONS_VERSION_FIELD,
  partnerKeyRedisKey,
  partnerOperationsRedisKey,
  type Redis,
} from '@commerce/platform';
import type { PartnerDoc } from '../../model/partner.model.ts';

/**
 * Replaces a partner's projected safelist unless a newer version is already there: two
 * publications committed as versions n and n+1 may reach Redis in either order, and the older one
 * must not win. One script, so the check and the replace are atomic for every router.
 */
const REPLACE_OPERATIONS = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if current > tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

/**
 * Writes what the router needs of one partner to Redis: each active key's hash → partner id
 * (revoked keys deleted), and the safelist (operation id → body). Idempotent; run after every
 * commit and for every partner at start, so a Redis that lost data or missed a write converges.
 */
export async function projectPartner(redis: Redis, partner: Pick<PartnerDoc, '_id' | 'apiKeys' | 'operations' | 'version'>): Promise<void> {
  const keys = redis.multi();
  for (const key of partner.apiKeys) {
    if (key.revokedAt) keys.del(partnerKeyRedisKey(key.hash));
    else keys.set(partnerKeyRedisKey(key.hash), partner._id);
  }
  const results = await keys.exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
  const args = [PARTNER_OPERATIONS_VERSION_FIELD, String(partner.version), ...partner.operations.flatMap((op) => [op.id, op.body])];
  await redis.eval(REPLACE_OPERATIONS, 1, partnerOperationsRedisKey(partner._id), ...args);
}
