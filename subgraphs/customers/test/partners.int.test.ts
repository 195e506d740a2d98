import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CUSTOMER, testInfra } from '@commerce/testing';
import { createRedis, decodePartnerKeyRecord, hashApiKey, partnerKeyRedisKey, partnerOperationsRedisKey, PARTNER_OPERATIONS_VERSION_FIELD } from '@commerce/platform';
import { Redis } from 'ioredis';
import { MANIFEST_FORMAT, operationId } from '../src/domain/partners/manifest.ts';
import { projectPartner } from '../src/domain/partners/projection.ts';
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

/** the router's view of a key: the partner it belongs to while active, else null (usePartners lets nothing else in) */
async function routerSees(apiKey: string): Promise<string | null> {
  const record = decodePartnerKeyRecord(await redis.get(partnerKeyRedisKey(hashApiKey(apiKey))));
  return record?.status === 'active' ? record.partnerId : null;
}

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
    expect(await routerSees(p.apiKey)).toBe(p.id);
    expect(decodePartnerKeyRecord(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey))))).toEqual({ version: 1, status: 'active', partnerId: p.id });
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
    expect(await routerSees(p.apiKey)).toBeNull();
    expect(await routerSees(secondKey)).toBe(p.id);
    await t.call<any>(REVOKE, { id: p.id }, ADMIN);
    expect(await routerSees(secondKey)).toBeNull();
    // a revoked key stays as a tombstone carrying the version of its revoke
    expect(decodePartnerKeyRecord(await redis.get(partnerKeyRedisKey(hashApiKey(secondKey))))).toEqual({ version: 4, status: 'revoked', partnerId: p.id });

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
      expect(await routerSees(p.apiKey)).toBe(p.id);
      expect(await redis.hget(partnerOperationsRedisKey(p.id), operationId('{ restored }'))).toBe('{ restored }');
    } finally {
      await again.stop();
    }
  });
});

/**
 * Security review finding 4: a revocation cannot be undone — not by a Redis write that failed
 * after the revoke committed, not by a projection of an older state arriving after it.
 */
describe('partner key revocation (finding 4)', () => {
  /**
   * The partner projection of this service writes through its own connection to the real Redis,
   * which the test takes down and brings back: while it is down every projection write fails the
   * way an unreachable Redis fails it (commands rejected, nothing written).
   */
  let projectionRedis: ReturnType<typeof createRedis>;
  let u: TestCustomers;
  const takeDown = async () => {
    const ended = new Promise((resolve) => projectionRedis.once('end', resolve));
    projectionRedis.disconnect();
    await ended;
  };
  const bringBack = () => projectionRedis.connect();
  beforeAll(async () => {
    projectionRedis = new Redis(testInfra().redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await projectionRedis.connect();
    u = await startTestCustomers({ PARTNERS_RECONCILE_EVERY_MS: '3600000' }, { partnerRedis: projectionRedis });
  });
  afterAll(async () => {
    await u?.stop();
    projectionRedis?.disconnect();
  });

  async function create() {
    const r = await u.call<any>(CREATE, { name: `R ${Math.random()}` }, ADMIN);
    expect(r.data!.createPartner.userErrors).toEqual([]);
    return { id: r.data!.createPartner.partner.id as string, apiKey: r.data!.createPartner.apiKey as string, keyId: r.data!.createPartner.partner.apiKeys[0].id as string };
  }
  const storedKey = async (partnerId: string) => ((await u.svc.conn.collection('partners').findOne({ _id: partnerId } as never)) as any).apiKeys[0];

  /** revoke while the projection's Redis is down: committed in the database, the router still lets the key in */
  async function revokeWhileRedisDown(p: { id: string; keyId: string; apiKey: string }) {
    await takeDown();
    const failed = await u.call<any>(REVOKE, { id: p.id, key: p.keyId }, ADMIN);
    await bringBack();
    expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await storedKey(p.id)).revokedAt).not.toBeNull(); // the source of truth recorded the revoke first
    expect(await routerSees(p.apiKey)).toBe(p.id); // … which is the window the finding is about
  }

  it('a revoke retried after its Redis write failed takes the key out of the router', async () => {
    const p = await create();
    await revokeWhileRedisDown(p);
    const retried = await u.call<any>(REVOKE, { id: p.id, key: p.keyId }, ADMIN);
    expect(retried.data!.revokeApiKey.userErrors.map((e: { code: string }) => e.code)).toEqual(['KEY_ALREADY_REVOKED']);
    expect(await routerSees(p.apiKey)).toBeNull();
    expect(decodePartnerKeyRecord(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey))))).toEqual({ version: 2, status: 'revoked', partnerId: p.id });
  });

  it('the reconcile takes it out when nobody retries', async () => {
    const p = await create();
    await revokeWhileRedisDown(p);
    await u.svc.partnerReconcile.runNow();
    expect(await routerSees(p.apiKey)).toBeNull();
  });

  it('a reconcile that fails while Redis is down fails loudly and the next one converges', async () => {
    const p = await create();
    await revokeWhileRedisDown(p);
    await takeDown();
    await expect(u.svc.partnerReconcile.runNow()).rejects.toThrow(/partner projection failed/);
    await bringBack();
    expect(await routerSees(p.apiKey)).toBe(p.id);
    await u.svc.partnerReconcile.runNow();
    expect(await routerSees(p.apiKey)).toBeNull();
  });

  it('a start-up projection of the state read before a revoke, written after it, does not restore the key', async () => {
    const p = await create();
    // what a starting instance's projectAll read: the partner with its key active (version 1)
    const before = await u.svc.conn.collection('partners').findOne({ _id: p.id } as never);
    expect((await u.call<any>(REVOKE, { id: p.id, key: p.keyId }, ADMIN)).data!.revokeApiKey.userErrors).toEqual([]);
    expect(await routerSees(p.apiKey)).toBeNull();
    // … and writes it only now, after the revoke reached Redis
    expect(await projectPartner(redis, before as never)).toBe(0);
    expect(await routerSees(p.apiKey)).toBeNull();
    expect(decodePartnerKeyRecord(await redis.get(partnerKeyRedisKey(hashApiKey(p.apiKey))))?.version).toBe(2);
  });

  it('start-up projections of other instances racing a revoke never leave the key valid', async () => {
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      const p = await create();
      const snapshot = await u.svc.conn.collection('partners').findOne({ _id: p.id } as never);
      const [, revoked] = await Promise.all([
        u.svc.partners.projectAll(),
        u.call<any>(REVOKE, { id: p.id, key: p.keyId }, ADMIN),
        projectPartner(redis, snapshot as never),
        u.svc.partners.projectAll(),
      ]);
      expect(revoked.data!.revokeApiKey.userErrors).toEqual([]);
      // a stale projection after everything settled changes nothing either
      await projectPartner(redis, snapshot as never);
      expect(await routerSees(p.apiKey)).toBeNull();
    }
  });

  it('an older-format value (a bare partner id) is replaced by the versioned record at the next projection', async () => {
    const p = await create();
    await redis.set(partnerKeyRedisKey(hashApiKey(p.apiKey)), p.id); // what the projection wrote before versioning
    expect(await routerSees(p.apiKey)).toBeNull(); // unreadable: rejected, never trusted
    await u.svc.partnerReconcile.runNow();
    expect(await routerSees(p.apiKey)).toBe(p.id);
  });
});
