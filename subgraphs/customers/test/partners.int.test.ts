import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CUSTOMER, testInfra } from '@commerce/testing';
import { createRedis, hashApiKey, partnerKeyRedisKey, partnerOperationsRedisKey, PARTNER_OPERATIONS_VERSION_FIELD } from '@commerce/platform';
import { MANIFEST_FORMAT, operationId } from '../src/domain/partners/manifest.ts';
import { startCustomers } from '../src/index.ts';
import { startTestCustomers, type TestCustomers } from './helpers.ts';

let t: TestCustomers;
const redis = createRedis(testInfra().redisUrl);
beforeAll(async () => {
  t = await startTestCustomers();
});
afterAll(async () => {
  await t?.stop();
  redis.disconnect();
});

const CREATE = 'mutation ($name: String!) { createPartner(name: $name) { partner { id name operationCount apiKeys { id revokedAt } } apiKey userErrors { code field } } }';
const PUBLISH = 'mutation ($id: ID!, $m: String!) { publishPersistedQueries(partnerId: $id, manifest: $m) { operationCount partner { operationCount } userErrors { code field } } }';
const REVOKE = 'mutation ($id: ID!, $key: ID) { revokeApiKey(partnerId: $id, keyId: $key) { partner { apiKeys { id revokedAt } } userErrors { code } } }';
const ADD_KEY = 'mutation ($id: ID!) { createApiKey(partnerId: $id) { apiKey userErrors { code } } }';

const manifestOf = (bodies: string[]) => JSON.stringify({ format: MANIFEST_FORMAT, version: 1, operations: bodies.map((body) => ({ id: operationId(body), name: null, type: 'query', body })) });

async function newPartner(name = `P ${Math.random()}`) {
  const r = await t.call<any>(CREATE, { name }, ADMIN);
  expect(r.data!.createPartner.userErrors).toEqual([]);
  return { id: r.data!.createPartner.partner.id as string, apiKey: r.data!.createPartner.apiKey as string, keyId: r.data!.createPartner.partner.apiKeys[0].id as string };
}

describe('partners', () => {
  it('are for admins only', async () => {
    const r = await t.call<any>(CREATE, { name: 'Nope' }, CUSTOMER);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await t.call<any>('{ partners { nodes { id } } }', {}, CUSTOMER);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('validate names', async () => {
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const r = await t.call<any>(CREATE, { name }, ADMIN);
      expect(r.data!.createPartner).toMatchObject({ partner: null, apiKey: null, userErrors: [{ code: 'INVALID_NAME', field: ['name'] }] });
    }
  });

  it('project their active keys to Redis, hashed, for the router', async () => {
    const p = await newPartner();
    expect(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey)))).toBe(p.id);
  });

  it('keep the newest manifest when publications race', async () => {
    const p = await newPartner();
    const manifests = Array.from({ length: 6 }, (_, i) => manifestOf(Array.from({ length: i + 1 }, (_, j) => `{ op${i}_${j} }`)));
    const results = await Promise.all(manifests.map((m) => t.call<any>(PUBLISH, { id: p.id, m }, ADMIN)));
    expect(results.every((r) => r.data!.publishPersistedQueries.userErrors.length === 0)).toBe(true);
    const stored = await t.svc.conn.collection('partners').findOne({ _id: p.id } as never);
    expect(stored!.version).toBe(1 + 6); // every publication committed, none lost
    // Redis holds exactly the operations of the newest committed version
    const projected = await redis.hgetall(partnerOperationsRedisKey(p.id));
    expect(Number(projected[PARTNER_OPERATIONS_VERSION_FIELD])).toBe(7);
    const ids = Object.keys(projected).filter((k) => k !== PARTNER_OPERATIONS_VERSION_FIELD).sort();
    expect(ids).toEqual((stored!.operations as Array<{ id: string }>).map((o) => o.id).sort());
  });

  it('revoke one key or all, and refuse unknown partners and keys', async () => {
    const p = await newPartner();
    const second = await t.call<any>(ADD_KEY, { id: p.id }, ADMIN);
    const secondKey = second.data!.createApiKey.apiKey as string;
    const one = await t.call<any>(REVOKE, { id: p.id, key: p.keyId }, ADMIN);
    expect(one.data!.revokeApiKey.partner.apiKeys.map((k: { revokedAt: string | null }) => k.revokedAt !== null)).toEqual([true, false]);
    expect(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey)))).toBeNull();
    expect(await redis.get(partnerKeyRedisKey(hashApiKey(secondKey)))).toBe(p.id);
    await t.call<any>(REVOKE, { id: p.id }, ADMIN);
    expect(await redis.get(partnerKeyRedisKey(hashApiKey(secondKey)))).toBeNull();

    expect((await t.call<any>(REVOKE, { id: 'ptnr_nope' }, ADMIN)).data!.revokeApiKey.userErrors[0].code).toBe('PARTNER_NOT_FOUND');
    expect((await t.call<any>(REVOKE, { id: p.id, key: 'key_nope' }, ADMIN)).data!.revokeApiKey.userErrors[0].code).toBe('KEY_NOT_FOUND');
    expect((await t.call<any>(PUBLISH, { id: 'garbage', m: manifestOf(['{ a }']) }, ADMIN)).data!.publishPersistedQueries.userErrors[0].code).toBe('PARTNER_NOT_FOUND');
  });

  it('allow at most 5 active keys', async () => {
    const p = await newPartner();
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await t.call<any>(ADD_KEY, { id: p.id }, ADMIN)).data!.createApiKey.userErrors[0]?.code ?? 'ok');
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'TOO_MANY_KEYS']);
  });

  it('are listed newest first, page by page', async () => {
    const created = [await newPartner(), await newPartner(), await newPartner()];
    const page1 = await t.call<any>('{ partners(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }', {}, ADMIN);
    expect(page1.data!.partners.nodes.map((n: { id: string }) => n.id)).toEqual([created[2]!.id, created[1]!.id]);
    const page2 = await t.call<any>('query ($after: String) { partners(first: 1, after: $after) { nodes { id } } }', { after: page1.data!.partners.pageInfo.endCursor }, ADMIN);
    expect(page2.data!.partners.nodes[0].id).toBe(created[0]!.id);
    const bad = await t.call<any>('{ partners(first: 0) { nodes { id } } }', {}, ADMIN);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('are projected again at start when Redis lost them', async () => {
    const p = await newPartner();
    await t.call<any>(PUBLISH, { id: p.id, m: manifestOf(['{ restored }']) }, ADMIN);
    await redis.del(partnerKeyRedisKey(hashApiKey(p.apiKey)), partnerOperationsRedisKey(p.id));
    const again = await startCustomers({ ...t.env, CUSTOMERS_PORT: '0' });
    try {
      expect(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey)))).toBe(p.id);
      expect(await redis.hget(partnerOperationsRedisKey(p.id), operationId('{ restored }'))).toBe('{ restored }');
    } finally {
      await again.stop();
    }
  });
});
