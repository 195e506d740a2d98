import type { Db } from 'mongodb';
import { isDuplicateKeyError } from '@commerce/platform';
import type { KeyRing, KeyState } from '../domain/key-ring.ts';
import { createSealer } from './sealed.ts';

/**
 * The key ring in the customers database: one document per version (`_id` = version), never
 * updated; a rotation inserts the next version, so of two rotations at once the unique `_id` lets
 * exactly one in (FerretDB-safe: no filtered update decides anything). Private keys are sealed
 * (sealed.ts: AES-256-GCM under JWT_KEYRING_SECRET); a database dump alone signs nothing.
 */
export const KEY_RINGS_COLLECTION = 'signing_key_rings';

interface StoredKey {
  kid: string;
  state: KeyState;
  /** iv.tag.ciphertext, base64url */
  sealed: string;
  createdAt: Date;
  retiredAt?: Date;
}

interface StoredRing {
  _id: number;
  keys: StoredKey[];
  createdAt: Date;
}

export interface KeyRingStore {
  latest(): Promise<KeyRing | undefined>;
  /** stores a new version; false when that version exists already (another rotation won) */
  insert(ring: KeyRing): Promise<boolean>;
}

export function createKeyRingStore(db: Db, secret: string): KeyRingStore {
  const sealer = createSealer(secret, 'jwt-key-ring v1');
  const coll = db.collection<StoredRing>(KEY_RINGS_COLLECTION);
  const seal = (pem: string, kid: string) => sealer.seal(pem, kid);
  const open = (sealed: string, kid: string) => {
    try {
      return sealer.open(sealed, kid);
    } catch {
      throw new Error(`cannot decrypt signing key ${kid}: JWT_KEYRING_SECRET is not the secret the key ring was written with`);
    }
  };
  return {
    async latest() {
      // a handful of documents (one per rotation): the sort costs nothing
      const [doc] = await coll.find().sort({ _id: -1 }).limit(1).toArray();
      if (!doc) return undefined;
      return {
        version: doc._id,
        keys: doc.keys.map((k) => ({ kid: k.kid, state: k.state, pem: open(k.sealed, k.kid), createdAt: k.createdAt, ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}) })),
      };
    },
    async insert(ring) {
      try {
        await coll.insertOne({
          _id: ring.version,
          createdAt: new Date(),
          keys: ring.keys.map((k) => ({ kid: k.kid, state: k.state, sealed: seal(k.pem, k.kid), createdAt: k.createdAt, ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}) })),
        });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
  };
}
