import type { Db, Document, FindOptions } from 'mongodb';

/**
 * Which kind of server a database is on. Real MongoDB serves `$in` and ranges from its indexes;
 * FerretDB v1 (the stand-in on machines without MongoDB) serves only top-level equality from an
 * index (with the GIN indexes `@commerce/infra` keeps on PostgreSQL) and reads every document of
 * the collection for anything else (../shared/notes/ferretdb.md). Each access pattern below picks,
 * per backend, the form whose cost does not grow with the collection.
 */
export type StorageBackend = 'mongodb' | 'ferretdb';

/** The read side of a collection, as the driver and mongoose's collection wrapper both offer it. */
export interface ReadableCollection<T> {
  find(filter: Document, options?: FindOptions): { toArray(): Promise<T[]> };
  findOne(filter: Document, options?: FindOptions): Promise<T | null>;
}

export interface WritableCollection {
  updateMany(filter: Document, update: Document): Promise<unknown>;
  updateOne(filter: Document, update: Document): Promise<unknown>;
}

/**
 * How many equality lookups one call keeps in flight on FerretDB: enough to hide the round trips,
 * few enough that concurrent requests do not exhaust its PostgreSQL pool.
 */
export const PARALLEL_LOOKUPS = 16;

const backends = new WeakMap<object, Promise<StorageBackend>>();

/** Asks the server once per client: FerretDB's `buildInfo` carries `ferretdbVersion`. */
export function storageBackend(db: Db): Promise<StorageBackend> {
  const client = db.client as object;
  let known = backends.get(client);
  if (!known) {
    known = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => (typeof info.ferretdbVersion === 'string' ? 'ferretdb' : 'mongodb') as StorageBackend);
    known.catch(() => backends.delete(client)); // ask again next time
    backends.set(client, known);
  }
  return known;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The access patterns of one database, bound to its backend. */
export interface Storage {
  backend: StorageBackend;
  /**
   * The documents with these ids (duplicates asked once; missing ones absent), for a DataLoader
   * batch: one `$in` query on MongoDB, parallel index-served `{_id}` lookups on FerretDB (whose
   * `$in` reads the whole collection).
   */
  findByIds<T>(coll: ReadableCollection<T>, ids: readonly string[], options?: FindOptions): Promise<T[]>;
  /**
   * Every document whose `field` equals one of `values` (`field` must lead an index). The same
   * two forms as `findByIds`, for relations such as all stock levels of a batch of variants.
   */
  findByValues<T>(coll: ReadableCollection<T>, field: string, values: readonly unknown[], options?: FindOptions): Promise<T[]>;
  /**
   * Applies one update to each of these ids (among the documents that match `among`, e.g.
   * `{status: 'pending'}`): one `updateMany` with `$in` on MongoDB; on FerretDB, parallel
   * single-document updates by `_id`, each index-served. Not its `$in` (a read of the whole
   * collection); not an `updateMany` narrowed by `among` either: FerretDB reads every document
   * `among` matches for each such command and then writes the batch one transaction after another
   * (measured: 170–290 ms for 20, and it grows with a backlog); never a multi-statement bulk write:
   * FerretDB v1 keeps a connection per statement until the command ends, and a large one exhausts
   * its pool.
   */
  updateEachById(coll: WritableCollection, ids: readonly string[], update: Document, among?: Document): Promise<void>;
}

export function storageFor(backend: StorageBackend): Storage {
  const unique = <V>(values: readonly V[]) => [...new Set(values)];
  const findByValues: Storage['findByValues'] = async (coll, field, values, options) => {
      const keys = unique(values);
      if (keys.length === 0) return [];
      if (backend === 'mongodb' || keys.length === 1) {
        return coll.find(keys.length === 1 ? ({ [field]: keys[0] }) : ({ [field]: { $in: keys } }), options).toArray();
      }
      const found = await mapLimit(keys, PARALLEL_LOOKUPS, (key) =>
        field === '_id' ? coll.findOne({ _id: key }, options).then((d) => (d ? [d] : [])) : coll.find({ [field]: key }, options).toArray(),
      );
      return found.flat();
  };
  return {
    backend,
    findByIds: (coll, ids, options) => findByValues(coll, '_id', ids, options),
    findByValues,
    async updateEachById(coll, ids, update, among) {
      const keys = unique(ids);
      if (keys.length === 0) return;
      if (backend === 'mongodb') {
        await coll.updateMany({ ...among, _id: keys.length === 1 ? keys[0] : { $in: keys } }, update);
        return;
      }
      await mapLimit(keys, PARALLEL_LOOKUPS, (id) => coll.updateOne({ ...among, _id: id }, update));
    },
  };
}

/** The storage of a database (the backend is asked once per client). */
export async function openStorage(db: Db): Promise<Storage> {
  return storageFor(await storageBackend(db));
}
