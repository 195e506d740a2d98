import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Partners: API clients with their own keys and persisted-query safelist. One document per
 * partner, written through the outbox committer (versioned), so concurrent key revocations and
 * manifest publications are ordered rather than lost. The unique `nameKey` makes creation
 * race-safe. The router never reads this collection: it reads the Redis projection.
 */
export const PARTNERS_COLLECTION = 'partners';

export interface ApiKeyRecord {
  id: string; // key_…
  /** sha256 hex of the key; the key itself is shown once and never stored */
  hash: string;
  /** the first characters of the key, so an admin can tell keys apart */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type OperationType = 'query' | 'mutation' | 'subscription';

/** One entry of the partner's safelist, as published in its manifest. */
export interface PersistedOperation {
  /** sha256 hex of `body` (what clients send as extensions.persistedQuery.sha256Hash) */
  id: string;
  name: string | null;
  type: OperationType;
  body: string;
}

export interface PartnerDoc {
  _id: string; // ptnr_…
  name: string;
  /** trimmed, lower-cased name: unique */
  nameKey: string;
  apiKeys: ApiKeyRecord[];
  operations: PersistedOperation[];
  manifestPublishedAt: Date | null;
  createdAt: Date;
  version: number;
}

const partnerSchema = new Schema<PartnerDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    apiKeys: { type: [Object], required: true },
    operations: { type: [Object], required: true },
    manifestPublishedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: PARTNERS_COLLECTION, versionKey: false },
);
partnerSchema.index({ nameKey: 1 }, { unique: true, name: 'name_unique' });
partnerSchema.index({ createdAt: -1, _id: -1 }, { name: 'newest_first' });

export type PartnerModel = Model<PartnerDoc>;

export function partnerModel(conn: Connection): PartnerModel {
  return (conn.models.Partner as PartnerModel | undefined) ?? conn.model<PartnerDoc>('Partner', partnerSchema);
}
