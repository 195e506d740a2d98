import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedis,
  encodePartnerKeyRecord,
  hashApiKey,
  newId,
  PARTNER_OPERATIONS_VERSION_FIELD,
  partnerKeyRedisKey,
  partnerOperationsRedisKey,
} from '@commerce/platform';
import { testInfra } from '@commerce/testing';
import { post, startStack, type Stack } from './support.ts';

/**
 * usePartners reads the projection the customers subgraph writes (security review finding 4): a
 * key gets in only with a record that says `active`; a revoked record (the tombstone of a revoke),
 * no record, or one the router cannot read is UNAUTHENTICATED.
 */
let s: Stack;
const redis = createRedis(testInfra().redisUrl);
const written: string[] = [];
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.stop();
  if (written.length) await redis.del(...written);
  redis.disconnect();
});

const BODY = '{ hello }';
const OP_ID = createHash('sha256').update(BODY).digest('hex');
const call = (apiKey: string) => post(s.router.url, { extensions: { persistedQuery: { version: 1, sha256Hash: OP_ID } } }, { 'x-api-key': apiKey });

/** a partner with one key in the given projected state (or raw value) and the safelist { hello } */
async function partnerWithKey(value: (partnerId: string) => string | null): Promise<{ partnerId: string; apiKey: string }> {
  const partnerId = newId('ptnr');
  const apiKey = `cpk_${randomBytes(32).toString('base64url')}`;
  const keyKey = partnerKeyRedisKey(hashApiKey(apiKey));
  const opsKey = partnerOperationsRedisKey(partnerId);
  written.push(keyKey, opsKey);
  const v = value(partnerId);
  if (v !== null) await redis.set(keyKey, v);
  await redis.hset(opsKey, PARTNER_OPERATIONS_VERSION_FIELD, '1', OP_ID, BODY);
  return { partnerId, apiKey };
}

describe('partner keys at the router', () => {
  it('lets an active record in', async () => {
    const { apiKey } = await partnerWithKey((id) => encodePartnerKeyRecord({ version: 3, status: 'active', partnerId: id }));
    const r = await call(apiKey);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ hello: 'world' });
  });

  it('refuses a revoked record, whatever partner and version it names', async () => {
    const { apiKey } = await partnerWithKey((id) => encodePartnerKeyRecord({ version: 7, status: 'revoked', partnerId: id }));
    const r = await call(apiKey);
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a key without a record, and records it cannot read (fails closed)', async () => {
    const unreadable: Array<(id: string) => string | null> = [
      () => null, // never projected, or Redis lost it
      (id) => id, // the format before versioning: a bare partner id
      (id) => `x:active:${id}`,
      (id) => `3:ACTIVE:${id}`,
      (id) => `3:suspended:${id}`,
      () => '3:active:',
      (id) => `3:active:${id}:extra`,
      () => '',
    ];
    for (const value of unreadable) {
      const { apiKey } = await partnerWithKey(value);
      const r = await call(apiKey);
      expect({ value: value('ptnr_x'), status: r.status, code: r.errors?.[0]?.extensions?.code }).toEqual({ value: value('ptnr_x'), status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});
