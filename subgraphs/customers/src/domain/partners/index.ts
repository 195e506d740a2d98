import { randomBytes } from 'node:crypto';
import { hashApiKey, isId, newId, userError, type Logger, type Redis, type Result } from '@commerce/platform';
import type { Committer } from '@commerce/events';
import { PARTNERS_COLLECTION, type ApiKeyRecord, type PartnerDoc, type PartnerModel } from '../../model/partner.model.ts';
import { parseManifest } from './manifest.ts';
import { projectPartner } from './projection.ts';

export { parseManifest, operationId, MANIFEST_FORMAT } from './manifest.ts';
export { projectPartner } from './projection.ts';

export const PartnerErrorCode = {
  INVALID_NAME: 'INVALID_NAME',
  NAME_TAKEN: 'NAME_TAKEN',
  PARTNER_NOT_FOUND: 'PARTNER_NOT_FOUND',
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  KEY_ALREADY_REVOKED: 'KEY_ALREADY_REVOKED',
  TOO_MANY_KEYS: 'TOO_MANY_KEYS',
  CONFLICT: 'CONFLICT',
} as const;

/** active keys per partner: enough to rotate (issue the new one, deploy it, revoke the old one) */
export const MAX_ACTIVE_KEYS = 5;
const API_KEY_PREFIX = 'cpk_';

export interface PartnerDeps {
  partners: PartnerModel;
  committer: Committer;
  redis: Redis;
  logger: Logger;
}

export interface PartnerWithKey {
  partner: PartnerDoc;
  /** the new key in clear: returned once, stored only as its hash */
  apiKey: string;
}

export interface PartnerService {
  createPartner(name: string, logger: Logger): Promise<Result<PartnerWithKey>>;
  createApiKey(partnerId: string, logger: Logger): Promise<Result<PartnerWithKey>>;
  revokeApiKey(partnerId: string, keyId: string | null, logger: Logger): Promise<Result<PartnerDoc>>;
  publishPersistedQueries(partnerId: string, manifest: string, logger: Logger): Promise<Result<PartnerDoc>>;
  getPartner(id: string): Promise<PartnerDoc | null>;
  listPartners(first: number, afterId: string | null): Promise<{ partners: PartnerDoc[]; hasNextPage: boolean }>;
  /**
   * Projects every partner to Redis again (at start, and periodically: PARTNERS_RECONCILE_EVERY_MS),
   * so a commit whose projection failed or never ran (Redis down, the instance died in between)
   * reaches the router without anyone retrying it. Versioned writes: never moves a key backwards.
   */
  projectAll(): Promise<number>;
}

function newApiKey(): { apiKey: string; record: ApiKeyRecord } {
  const apiKey = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { apiKey, record: { id: newId('key'), hash: hashApiKey(apiKey), prefix: apiKey.slice(0, 10), createdAt: new Date(), revokedAt: null } };
}

const notFound = (field: string[]) => ({ ok: false as const, errors: [userError(PartnerErrorCode.PARTNER_NOT_FOUND, 'No partner with this id', field)] });

export function createPartnerService(deps: PartnerDeps): PartnerService {
  const project = async (partner: PartnerDoc, logger: Logger) => {
    try {
      await projectPartner(deps.redis, partner);
    } catch (err) {
      // Committed, not yet visible to the router. The database holds the change, so it converges:
      // retrying the mutation projects again (also a revoke that finds its key already revoked),
      // and so do the periodic reconcile and the next start of any instance.
      logger.error({ err, partnerId: partner._id, version: partner.version }, 'partner committed but its Redis projection failed; a retry or the reconcile projects it');
      throw err;
    }
  };

  type Decision<R> = { next: PartnerDoc } | { fail: Result<R> & { ok: false }; reproject?: boolean };

  /**
   * read-decide-commit on one partner, then project the committed state. A refusal marked
   * `reproject` projects the current state before it answers: the way a retried revoke (whose
   * first attempt committed but could not reach Redis) still takes the key out of the router.
   */
  async function change<R>(partnerId: string, logger: Logger, decide: (p: PartnerDoc) => Decision<R>): Promise<Result<PartnerDoc>> {
    if (!isId('ptnr', partnerId)) return notFound(['partnerId']);
    let refusedAt = null as PartnerDoc | null;
    const result = await deps.committer.update<PartnerDoc, Result<R> & { ok: false }>(PARTNERS_COLLECTION, partnerId, (current) => {
      if (!current) return { done: notFound(['partnerId']) };
      const d = decide(current);
      if ('fail' in d) {
        refusedAt = d.reproject ? current : null;
        return { done: d.fail };
      }
      return { next: { ...d.next, version: current.version + 1 }, events: [] };
    });
    if (result.status === 'done') {
      if (refusedAt) await project(refusedAt, logger);
      return result.value;
    }
    if (result.status === 'contended') return { ok: false, errors: [userError(PartnerErrorCode.CONFLICT, 'The partner is being changed concurrently; try again')] };
    await project(result.state, logger);
    return { ok: true, value: result.state };
  }

  return {
    async createPartner(rawName, logger) {
      const name = rawName.trim();
      if (name.length < 1 || name.length > 100) return { ok: false, errors: [userError(PartnerErrorCode.INVALID_NAME, 'name must be 1 to 100 characters', ['name'])] };
      const { apiKey, record } = newApiKey();
      const partner: PartnerDoc = { _id: newId('ptnr'), name, nameKey: name.toLowerCase(), apiKeys: [record], operations: [], manifestPublishedAt: null, createdAt: new Date(), version: 1 };
      const result = await deps.committer.commit(PARTNERS_COLLECTION, partner, []);
      if (!result.ok) {
        if (result.reason === 'duplicate') return { ok: false, errors: [userError(PartnerErrorCode.NAME_TAKEN, 'A partner with this name already exists', ['name'])] };
        throw new Error(`partner commit failed: ${result.reason}`);
      }
      await project(partner, logger);
      logger.info({ partnerId: partner._id, keyId: record.id }, 'partner created');
      return { ok: true, value: { partner, apiKey } };
    },

    async createApiKey(partnerId, logger) {
      let issued: { apiKey: string; record: ApiKeyRecord } | undefined;
      const result = await change(partnerId, logger, (p) => {
        if (p.apiKeys.filter((k) => !k.revokedAt).length >= MAX_ACTIVE_KEYS) {
          return { fail: { ok: false, errors: [userError(PartnerErrorCode.TOO_MANY_KEYS, `A partner has at most ${MAX_ACTIVE_KEYS} active keys; revoke one first`, ['partnerId'])] } };
        }
        issued = newApiKey();
        return { next: { ...p, apiKeys: [...p.apiKeys, issued.record] } };
      });
      if (!result.ok) return result;
      logger.info({ partnerId, keyId: issued!.record.id }, 'partner API key created');
      return { ok: true, value: { partner: result.value, apiKey: issued!.apiKey } };
    },

    async revokeApiKey(partnerId, keyId, logger) {
      const now = new Date();
      const result = await change(partnerId, logger, (p) => {
        if (keyId !== null) {
          const key = p.apiKeys.find((k) => k.id === keyId);
          if (!key) return { fail: { ok: false, errors: [userError(PartnerErrorCode.KEY_NOT_FOUND, 'The partner has no key with this id', ['keyId'])] } };
          // already revoked in the database: project it again, in case the revoke that committed it never reached Redis
          if (key.revokedAt) return { fail: { ok: false, errors: [userError(PartnerErrorCode.KEY_ALREADY_REVOKED, 'This key is already revoked', ['keyId'])] }, reproject: true };
        }
        return { next: { ...p, apiKeys: p.apiKeys.map((k) => (!k.revokedAt && (keyId === null || k.id === keyId) ? { ...k, revokedAt: now } : k)) } };
      });
      if (result.ok) logger.info({ partnerId, keyId: keyId ?? 'all' }, 'partner API key revoked');
      return result;
    },

    async publishPersistedQueries(partnerId, manifest, logger) {
      const parsed = parseManifest(manifest);
      if (!parsed.ok) return parsed;
      const result = await change(partnerId, logger, (p) => ({ next: { ...p, operations: parsed.value, manifestPublishedAt: new Date() } }));
      if (result.ok) logger.info({ partnerId, operationCount: parsed.value.length }, 'partner persisted queries published');
      return result;
    },

    async getPartner(id) {
      if (!isId('ptnr', id)) return null;
      return deps.partners.findById(id).lean<PartnerDoc>();
    },

    async listPartners(first, afterId) {
      const after = afterId ? await deps.partners.findById(afterId, { createdAt: 1 }).lean<Pick<PartnerDoc, 'createdAt' | '_id'>>() : null;
      const filter = after ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after._id } }] } : {};
      const docs = await deps.partners.find(filter).sort({ createdAt: -1, _id: -1 }).limit(first + 1).lean<PartnerDoc[]>();
      return { partners: docs.slice(0, first), hasNextPage: docs.length > first };
    },

    async projectAll() {
      let n = 0;
      let failed = 0;
      let firstError: unknown;
      for await (const partner of deps.partners.find().lean<PartnerDoc>().cursor()) {
        try {
          await projectPartner(deps.redis, partner as PartnerDoc);
          n++;
        } catch (err) {
          // one partner's failure must not keep the others from converging
          failed++;
          firstError ??= err;
        }
      }
      if (failed) throw new Error(`partner projection failed for ${failed} partner(s): ${(firstError as Error)?.message ?? firstError}`, { cause: firstError });
      return n;
    },
  };
}
