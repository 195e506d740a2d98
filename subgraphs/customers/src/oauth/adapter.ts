import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Logger, Redis } from '@commerce/platform';
import type { Sealer } from '../model/sealed.ts';

/**
 * oidc-provider's storage (sessions, interactions, authorization codes, refresh tokens, grants,
 * registered clients), in the customers service's own MongoDB: one collection per model
 * (`oauth_<model>`), documents `{ _id, payload, expiresAt, uid?, userCode?, grantId? }`.
 *
 * Built for FerretDB as for MongoDB:
 *  - every read is an equality on an indexed field (`_id`, `uid`, `userCode`, `grantId`);
 *  - no TTL index (FerretDB cannot build one): an expired document is never returned, and
 *    `sweepExpired` deletes them (the service runs it periodically);
 *  - consuming a code or a refresh token is made single-use in Redis (SET NX), not by a filtered
 *    update (FerretDB's updates are not atomic with their filters): of two concurrent uses exactly
 *    one wins. The loser is a reuse — for a refresh token, `onReuse` ends its grant, as the
 *    library does for a sequential reuse;
 *  - a registered client's `client_secret` is stored sealed (`client_secret_sealed`, AES-256-GCM
 *    under JWT_KEYRING_SECRET) and opened only when the library reads the client.
 */
export interface OAuthStoreOptions {
  db: Db;
  redis: Redis;
  /** Redis key prefix (per database, like the service's other counters) */
  keyPrefix: string;
  logger: Logger;
  /** a refresh token or code used twice at once: end the grant it belongs to */
  onReuse?: (model: string, grantId: string | undefined) => Promise<void>;
  /** seals registered clients' secrets at rest (the library needs them back to authenticate a client) */
  sealer: Sealer;
}

interface StoredDoc {
  _id: string;
  payload: AdapterPayload;
  expiresAt?: Date;
  uid?: string;
  userCode?: string;
  grantId?: string;
  /** grants and sessions: whose they are (logOutEverywhere finds them by it) */
  accountId?: string;
  /** registered partner clients: whose they are */
  partnerId?: string;
}

/** models whose documents are looked up by grant id (revokeByGrantId) */
const GRANT_BOUND = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'ClientCredentials', 'Grant']);

/**
 * Models whose id is a bearer credential (a refresh token, a code, a session or interaction
 * cookie): stored, and named in Redis, by its SHA-256, the payload's copy of it (`jti`) sealed, so
 * a database dump, a Redis `MONITOR` or a slow log yields nothing usable. Grants and clients keep their ids (not credentials; other
 * records and the admin API name them).
 */
const CREDENTIAL_IDS = new Set(['Session', 'Interaction', 'AuthorizationCode', 'RefreshToken', 'AccessToken', 'ClientCredentials', 'PushedAuthorizationRequest', 'ReplayDetection']);
const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest('base64url');

export function oauthCollectionName(model: string): string {
  return `oauth_${model.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase())}`;
}

export interface OAuthStore {
  /** the adapter factory oidc-provider is configured with */
  adapter: (model: string) => Adapter;
  /** creates the lookup indexes (equality only) */
  ensureIndexes(): Promise<void>;
  /** deletes what expired; returns how many documents went */
  sweepExpired(now?: Date): Promise<number>;
  collection(model: string): Collection<StoredDoc>;
  /** the grant ids of an account (equality on the indexed accountId) */
  grantIdsOf(accountId: string): Promise<string[]>;
  /** deletes a grant and every token issued under it; returns whether there was one */
  deleteGrant(grantId: string): Promise<void>;
  /** deletes the account's browser sessions at the provider (so the next authorize asks to log in) */
  deleteSessionsOf(accountId: string): Promise<void>;
}

export const OAUTH_MODELS = ['Session', 'Interaction', 'AuthorizationCode', 'RefreshToken', 'AccessToken', 'ClientCredentials', 'Grant', 'Client', 'ReplayDetection', 'PushedAuthorizationRequest'] as const;

export function createOAuthStore(opts: OAuthStoreOptions): OAuthStore {
  const collection = (model: string) => opts.db.collection<StoredDoc>(oauthCollectionName(model));
  const live = (doc: StoredDoc | null): AdapterPayload | undefined => {
    if (!doc) return undefined;
    if (doc.expiresAt && doc.expiresAt.getTime() <= Date.now()) return undefined;
    const { client_secret_sealed: sealed, jti_sealed: jti, ...payload } = doc.payload as AdapterPayload & { client_secret_sealed?: string; jti_sealed?: string };
    if (typeof sealed === 'string') return { ...payload, client_secret: opts.sealer.open(sealed, doc._id) };
    if (typeof jti === 'string') return { ...payload, jti: opts.sealer.open(jti, doc._id) };
    return doc.payload;
  };
  /** a credential's payload names it (`jti`): sealed like the client secrets, to the hashed record */
  const sealJti = (key: string, payload: AdapterPayload): AdapterPayload => {
    const { jti, ...rest } = payload;
    return typeof jti === 'string' ? { ...rest, jti_sealed: opts.sealer.seal(jti, key) } : payload;
  };
  const sealSecret = (id: string, payload: AdapterPayload): AdapterPayload => {
    const { client_secret: secret, ...rest } = payload as AdapterPayload & { client_secret?: string };
    return typeof secret === 'string' ? { ...rest, client_secret_sealed: opts.sealer.seal(secret, id) } : payload;
  };

  const adapter = (model: string): Adapter => {
    const coll = collection(model);
    const keyOf = CREDENTIAL_IDS.has(model) ? sha256 : (id: string) => id;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        const doc: Omit<StoredDoc, '_id'> = { payload: model === 'Client' ? sealSecret(id, payload) : CREDENTIAL_IDS.has(model) ? sealJti(key, payload) : payload };
        if (expiresIn) doc.expiresAt = new Date(Date.now() + expiresIn * 1000);
        if (payload.uid) doc.uid = payload.uid;
        if (payload.userCode) doc.userCode = payload.userCode;
        if (payload.grantId && GRANT_BOUND.has(model)) doc.grantId = payload.grantId;
        if (payload.accountId && (model === 'Grant' || model === 'Session')) doc.accountId = payload.accountId;
        if (model === 'Client' && typeof payload.partner_id === 'string') doc.partnerId = payload.partner_id;
        await coll.replaceOne({ _id: key }, doc, { upsert: true });
      },
      async find(id) {
        return live(await coll.findOne({ _id: keyOf(id) }));
      },
      async findByUid(uid) {
        return live(await coll.findOne({ uid }));
      },
      async findByUserCode(userCode) {
        return live(await coll.findOne({ userCode }));
      },
      async consume(id) {
        const key = keyOf(id);
        const doc = await coll.findOne({ _id: key });
        const ttl = doc?.expiresAt ? Math.max(1, Math.ceil((doc.expiresAt.getTime() - Date.now()) / 1000)) : 86_400;
        const won = await opts.redis.set(`${opts.keyPrefix}consumed:${model}:${key}`, '1', 'EX', ttl, 'NX');
        if (won !== 'OK') {
          opts.logger.warn({ model, grantId: doc?.grantId }, 'oauth: a single-use token was used twice at once; ending its grant');
          await opts.onReuse?.(model, doc?.grantId);
          throw new errors.InvalidGrant(`${model === 'RefreshToken' ? 'refresh token' : 'grant'} already used`);
        }
        await coll.updateOne({ _id: key }, { $set: { 'payload.consumed': Math.floor(Date.now() / 1000) } });
      },
      async destroy(id) {
        await coll.deleteOne({ _id: keyOf(id) });
      },
      async revokeByGrantId(grantId) {
        await coll.deleteMany({ grantId });
      },
    };
  };

  return {
    adapter,
    collection,
    async ensureIndexes() {
      await Promise.all(
        OAUTH_MODELS.flatMap((model) => {
          const coll = collection(model);
          const out = [] as Promise<string>[];
          if (model === 'Session' || model === 'Interaction') out.push(coll.createIndex({ uid: 1 }, { name: 'uid' }));
          if (GRANT_BOUND.has(model)) out.push(coll.createIndex({ grantId: 1 }, { name: 'grantId' }));
          if (model === 'Grant' || model === 'Session') out.push(coll.createIndex({ accountId: 1 }, { name: 'accountId' }));
          if (model === 'Client') out.push(coll.createIndex({ partnerId: 1 }, { name: 'partnerId' }));
          return out;
        }),
      );
    },
    async grantIdsOf(accountId) {
      const docs = await collection('Grant').find({ accountId }, { projection: { _id: 1 } }).toArray();
      return docs.map((d) => d._id);
    },
    async deleteGrant(grantId) {
      await Promise.all([
        ...[...GRANT_BOUND].filter((m) => m !== 'Grant').map((m) => collection(m).deleteMany({ grantId })),
        collection('Grant').deleteOne({ _id: grantId }),
      ]);
    },
    async deleteSessionsOf(accountId) {
      await collection('Session').deleteMany({ accountId });
    },
    async sweepExpired(now = new Date()) {
      let removed = 0;
      for (const model of OAUTH_MODELS) {
        const res = await collection(model).deleteMany({ expiresAt: { $lte: now } });
        removed += res.deletedCount;
      }
      return removed;
    },
  };
}
