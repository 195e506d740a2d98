import type { Collection, Db, Document } from 'mongodb';
import type { Logger } from 'pino';
import { bucketOf, openStorage, pruneExpiredBuckets } from '@commerce/storage';
import type { EventEnvelope } from './envelope.ts';
import type { EventBus } from './bus.ts';
import { DEAD_LETTER_COLLECTION, DEDUP_BUCKET_MS, DEDUP_WINDOW_MS, PROCESSED_COLLECTION } from './consumer.ts';

/**
 * Transaction-free outbox, correct on FerretDB (whose updates are not atomic with their filters).
 *
 * A change to an aggregate is *committed* by inserting one outbox entry with the id
 * `<collection>:<aggregateId>:<version>`. The unique `_id` makes that insert the optimistic-
 * concurrency claim: of two writers that read version n, only one can commit n+1; the other gets a
 * conflict and retries on fresh state. The entry carries the aggregate's new state and the events,
 * so it is durable before the aggregate document is written. Then the writer writes the document
 * (replace by `_id`: one writer per version) and hands the entry to the relay.
 *
 * If the process dies between the two writes, the relay's sweep finds the entry (older than the
 * grace period), completes the document write from the stored state, then publishes. A create
 * whose document insert hits a unique index (a taken handle, an email) voids its entry instead.
 * Published entries are kept for a retention period, long enough that no stale writer can claim
 * an old version again, then deleted by time bucket (`pruneBucket`, a minute of `publishedAt`).
 * Every read here is an equality that an index serves on MongoDB and on FerretDB alike (with the
 * equality indexes of @commerce/infra): by `_id`, by `aggregateId`, and the sweep by
 * `status: 'pending'`, which only entries in flight match.
 */
export const OUTBOX_COLLECTION = 'outbox';

export interface Versioned extends Document {
  _id: string;
  version: number;
}

export interface OutboxEntry {
  _id: string;
  /** the aggregate's collection; '' for events that change no document (see `emitEvents`) */
  collection: string;
  aggregateId: string;
  version: number;
  state: Document;
  events: EventEnvelope[];
  /** the domain event of this version, for event-sourced aggregates (their stream is the outbox) */
  change?: Document;
  createdAt: Date;
  status: 'pending' | 'published';
  publishedAt?: Date;
  /** minute of `publishedAt`: the janitor deletes expired minutes by equality */
  pruneBucket?: number;
}

/** Published entries are pruned a minute at a time. */
export const OUTBOX_PRUNE_BUCKET_MS = 60_000;

/** What marks an entry published (one `$set` for the relay's fast path and for its sweep). */
function publishedNow(): Pick<OutboxEntry, 'status' | 'publishedAt' | 'pruneBucket'> {
  const at = new Date();
  return { status: 'published', publishedAt: at, pruneBucket: bucketOf(at, OUTBOX_PRUNE_BUCKET_MS) };
}

export type CommitResult = { ok: true } | { ok: false; reason: 'conflict' } | { ok: false; reason: 'duplicate'; error: unknown };

/** MongoDB's duplicate-key error, as real MongoDB and FerretDB both report it (code 11000). */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> } | null;
  return !!e && (e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000)));
}

/** The outbox of a database; an event-sourced service names its own (its event store). */
export function outboxCollection(db: Db, name = OUTBOX_COLLECTION): Collection<OutboxEntry> {
  return db.collection<OutboxEntry>(name);
}

/**
 * The indexes of the outbox and the consumers' collections. On FerretDB the leading field of each
 * is what the equality indexes of @commerce/infra serve, so each read below is index-served there too.
 */
export async function ensureOutboxIndexes(db: Db, name = OUTBOX_COLLECTION): Promise<void> {
  await outboxCollection(db, name).createIndex({ status: 1, createdAt: 1 }); // the sweep: pending entries only
  await outboxCollection(db, name).createIndex({ pruneBucket: 1 }); // the janitor: one minute at a time
  await outboxCollection(db, name).createIndex({ aggregateId: 1, version: 1 }); // reading one stream
  await db.collection(PROCESSED_COLLECTION).createIndex({ bucket: 1 }); // claims: inserted by _id, pruned by hour
  await db.collection(DEAD_LETTER_COLLECTION).createIndex({ consumer: 1, status: 1 }); // replay poll
  await db.collection(DEAD_LETTER_COLLECTION).createIndex({ consumer: 1, parkedAt: -1 }); // operator listing
}

/**
 * Writes one aggregate document the way a commit does: insert for version 1, replace after.
 * The replace only overwrites an older version: a slow writer of version n must not put its
 * document back over version n+1 written meanwhile (the entries are right either way; this keeps
 * plain document reads from going stale). On FerretDB the guard narrows that window rather than
 * closing it; `Committer.update` reads past a stale document through the entries.
 */
async function writeAggregate(db: Db, entry: Pick<OutboxEntry, 'collection' | 'aggregateId' | 'version' | 'state'>): Promise<void> {
  const coll = db.collection(entry.collection);
  if (entry.version === 1) {
    await coll.insertOne(entry.state as Document);
    return;
  }
  const r = await coll.replaceOne({ _id: entry.aggregateId, version: { $lt: entry.version } } as Document, entry.state as Document);
  if (r.matchedCount === 0 && !(await coll.findOne({ _id: entry.aggregateId } as Document, { projection: { _id: 1 } }))) {
    // version 1's document write is itself still in flight (or was lost): create it from this state
    try {
      await coll.insertOne(entry.state as Document);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await coll.replaceOne({ _id: entry.aggregateId, version: { $lt: entry.version } } as Document, entry.state as Document);
    }
  }
}

/** What the sweep reads: the entries in flight, through the `status` index (never the whole outbox). */
export function pendingEntries(outbox: Collection<OutboxEntry>): Promise<OutboxEntry[]> {
  return outbox.find({ status: 'pending' }).sort({ createdAt: 1 }).toArray();
}

export interface Committer {
  /**
   * Commits `next` (whose `version` must be the stored version + 1, or 1 for a new aggregate)
   * together with its events. Never throws for a lost race or a unique-index conflict: those
   * come back as `conflict` / `duplicate` so the caller can retry or answer a userError.
   */
  commit<T extends Versioned>(collection: string, next: T, events: EventEnvelope[], change?: Document): Promise<CommitResult>;
  /**
   * Bulk variant for creating many new aggregates at once (seeding, imports): the same two
   * writes, batched. Meant for fresh ids; any failure throws and the sweep completes what was stored.
   */
  createMany<T extends Versioned>(collection: string, docs: Array<{ doc: T; events: EventEnvelope[] }>): Promise<void>;
  /**
   * Read-decide-commit loop for changing one aggregate. `decide` gets the current state and
   * returns the next state (version + 1) with its events, or `{ done }` to stop without a change.
   * On a lost race it continues from the winner's committed state (read from its outbox entry,
   * which exists before the winner's document write lands), so contention converges quickly.
   */
  update<T extends Versioned, R>(collection: string, id: string, decide: (current: T | null) => UpdateDecision<T, R>, opts?: { maxAttempts?: number }): Promise<UpdateResult<T, R>>;
  /**
   * Calls `listener` with every entry this committer commits, once its document is written and
   * before `commit` returns: an in-memory read model of this instance sees its own writes at once
   * (other instances learn them from the events). Returns the function that stops listening.
   */
  onCommitted(listener: (entry: OutboxEntry) => void): () => void;
  /**
   * Commits events that change no document: one entry `events:<first event id>` without a state,
   * under the first event's aggregate id (so its owner can find and delete it by equality). The
   * fallback of `emitEvents` when the broker cannot take them now; committing the same events
   * twice is a no-op (the first entry stands).
   */
  commitEvents(events: EventEnvelope[]): Promise<void>;
}

export type UpdateDecision<T, R> = { next: T; events: EventEnvelope[]; change?: Document } | { done: R };
export type UpdateResult<T, R> = { status: 'committed'; state: T } | { status: 'done'; value: R } | { status: 'contended' };

export function createCommitter(db: Db, relay?: { enqueue(entry: OutboxEntry): void; suspect?(collection: string, id: string): void }, opts: { outbox?: string } = {}): Committer {
  const outbox = outboxCollection(db, opts.outbox);
  const listeners = new Set<(entry: OutboxEntry) => void>();
  const committed = (entry: OutboxEntry) => {
    relay?.enqueue(entry);
    for (const listener of listeners) listener(entry);
  };
  return {
    onCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async commit(collection, next, events, change) {
      const entry: OutboxEntry = {
        _id: `${collection}:${next._id}:${next.version}`,
        collection,
        aggregateId: next._id,
        version: next.version,
        state: next,
        events,
        ...(change ? { change } : {}),
        createdAt: new Date(),
        status: 'pending',
      };
      try {
        await outbox.insertOne(entry);
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          // writers raced for this aggregate: its document writes may land out of order
          if (next.version > 1) relay?.suspect?.(collection, next._id);
          return { ok: false, reason: 'conflict' };
        }
        throw err;
      }
      try {
        await writeAggregate(db, entry);
      } catch (err) {
        if (isDuplicateKeyError(err) && next.version === 1) {
          // a unique field of the new aggregate is taken: this commit never happened
          await outbox.deleteOne({ _id: entry._id });
          return { ok: false, reason: 'duplicate', error: err };
        }
        throw err; // the entry stays; the relay's sweep completes or voids it
      }
      committed(entry);
      return { ok: true };
    },
    async update(collection, id, decide, opts) {
      const maxAttempts = opts?.maxAttempts ?? 25;
      let current = (await db.collection(collection).findOne({ _id: id } as Document)) as never;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const decision = decide(current);
        if ('done' in decision) return { status: 'done', value: decision.done };
        const result = await this.commit(collection, decision.next, decision.events, decision.change);
        if (result.ok) return { status: 'committed', state: decision.next };
        if (result.reason === 'duplicate') throw new Error(`update of ${collection}/${id} hit a unique index`);
        // Lost the race for this version: follow the committed entries to the newest state.
        let version = (decision.next.version as number);
        let winner = await outbox.findOne({ _id: `${collection}:${id}:${version}` });
        while (winner) {
          current = winner.state as never;
          version += 1;
          winner = await outbox.findOne({ _id: `${collection}:${id}:${version}` });
        }
        if (!current || (current as Versioned).version < version - 1) {
          current = (await db.collection(collection).findOne({ _id: id } as Document)) as never;
        }
        await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, 5)));
      }
      return { status: 'contended' };
    },
    async commitEvents(events) {
      const [first] = events;
      if (!first) return;
      const entry: OutboxEntry = { _id: `events:${first.id}`, collection: '', aggregateId: first.aggregateId, version: 1, state: {}, events, createdAt: new Date(), status: 'pending' };
      try {
        await outbox.insertOne(entry);
      } catch (err) {
        if (isDuplicateKeyError(err)) return;
        throw err;
      }
      committed(entry);
    },
    async createMany(collection, docs) {
      if (docs.length === 0) return;
      const now = new Date();
      const entries: OutboxEntry[] = docs.map(({ doc, events }) => {
        if (doc.version !== 1) throw new Error('createMany creates version 1 only');
        return { _id: `${collection}:${doc._id}:1`, collection, aggregateId: doc._id, version: 1, state: doc, events, createdAt: now, status: 'pending' };
      });
      await outbox.insertMany(entries, { ordered: true });
      await db.collection(collection).insertMany(docs.map((d) => d.doc as Document), { ordered: true });
      for (const entry of entries) committed(entry);
    },
  };
}

export interface RelayOptions {
  db: Db;
  bus: EventBus;
  logger: Logger;
  /** how often the sweep looks for entries the fast path did not publish */
  sweepIntervalMs?: number;
  /** an entry younger than this is still its writer's business */
  graceMs?: number;
  /** how long published entries are kept (bounds how stale a writer's read may be); null = forever (an event store) */
  retentionMs?: number | null;
  /** the outbox collection (default `outbox`) */
  outbox?: string;
  /** how long consumers' claims are kept (default: as long as the stream keeps events) */
  dedupWindowMs?: number;
}

export interface OutboxRelay {
  enqueue(entry: OutboxEntry): void;
  /** an aggregate whose document may have been written out of order (its writers raced) */
  suspect(collection: string, id: string): void;
  /** publishes every pending entry older than the grace period; returns how many it published */
  sweep(): Promise<number>;
  /** deletes expired published entries and consumer claims now (it also runs every minute); `now` for tests */
  prune(now?: number): Promise<void>;
  /** resolves when everything enqueued so far was handled */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startOutboxRelay(opts: RelayOptions): OutboxRelay {
  const { db, bus, logger } = opts;
  const outbox = outboxCollection(db, opts.outbox);
  const sweepEvery = opts.sweepIntervalMs ?? 2000;
  const grace = opts.graceMs ?? 5000;
  const retention = opts.retentionMs === undefined ? 10 * 60_000 : opts.retentionMs;
  // the backend is asked once per client (and again after a failure, e.g. a database down at start)
  const storage = () => openStorage(db);
  const queue: OutboxEntry[] = [];
  let draining: Promise<void> | null = null;
  let stopped = false;
  let lastJanitor = 0;

  async function publishEntry(entry: OutboxEntry): Promise<void> {
    for (const event of entry.events) await bus.publish(event);
    await outbox.updateOne({ _id: entry._id }, { $set: publishedNow() });
  }

  /**
   * Publishes queued entries in order, a batch at a time: the publishes of a batch are pipelined
   * (each still awaits its JetStream ack). Marking entries published runs on its own loop, so a
   * slow database never delays the next event on the wire; an entry whose mark is lost is
   * published again by the sweep and dropped by JetStream's dedup. A batch is marked in the
   * backend's index-served form (`Storage.updateEachById`: one `$in` on MongoDB, one update by
   * `_id` per entry on FerretDB), only where the entry is still pending.
   */
  const toMark: string[] = [];
  const suspects = new Set<string>(); // `<collection>:<aggregateId>` whose writers raced
  let marking: Promise<void> | null = null;
  function markPublished(ids: string[]): void {
    toMark.push(...ids);
    if (marking) return;
    marking = (async () => {
      while (toMark.length) {
        const ids = toMark.splice(0, 500);
        try {
          await (await storage()).updateEachById(outbox, ids, { $set: publishedNow() }, { status: 'pending' });
          const touched = ids.map((id) => id.slice(0, id.lastIndexOf(':'))).filter((key) => suspects.has(key));
          if (touched.length) {
            for (const key of touched) suspects.delete(key);
            await repairStaleDocuments(touched);
          }
        } catch (err) {
          logger.warn({ err, entries: ids.length }, 'outbox: marking published failed; the sweep will re-publish (deduplicated)');
        }
      }
    })().finally(() => {
      marking = null;
      if (toMark.length) markPublished([]);
    });
  }

  /**
   * Two commits of one aggregate close together can land their document writes out of order on
   * FerretDB (its replace filter is not atomic), leaving the document a version behind its
   * entries. Such writers always meet a version conflict first, which marks the aggregate as a
   * suspect; after publishing, each suspect's document is brought up to its newest committed
   * entry. Whoever repairs last writes the newest state it finds, so documents converge.
   */
  async function repairStaleDocuments(keys: string[]): Promise<void> {
    const byCollection = new Map<string, Set<string>>();
    for (const key of keys) {
      const [collection, aggregateId] = key.split(':') as [string, string];
      if (!byCollection.has(collection)) byCollection.set(collection, new Set());
      byCollection.get(collection)!.add(aggregateId);
    }
    for (const [collection, ids] of byCollection) {
      const coll = db.collection<Versioned>(collection);
      const store = await storage();
      const docs = await store.findByIds<Versioned>(coll, [...ids], { projection: { _id: 1, version: 1 } });
      const next = await store.findByIds<OutboxEntry>(outbox, docs.map((d) => `${collection}:${d._id}:${d.version + 1}`), { projection: { aggregateId: 1, version: 1 } });
      for (const behind of next) {
        let newest = await outbox.findOne({ _id: `${collection}:${behind.aggregateId}:${behind.version}` });
        for (let v = behind.version + 1; newest; v++) {
          const later = await outbox.findOne({ _id: `${collection}:${behind.aggregateId}:${v}` });
          if (!later) break;
          newest = later;
        }
        if (!newest) continue;
        await coll.replaceOne({ _id: newest.aggregateId, version: { $lt: newest.version } }, newest.state as Versioned);
        logger.debug({ collection, id: newest.aggregateId, version: newest.version }, 'outbox: repaired a document written out of order');
      }
    }
  }

  async function drain(): Promise<void> {
    while (queue.length && !stopped) {
      const batch = queue.slice(0, 200);
      try {
        // one connection writes in call order, so pipelined publishes keep the stream order
        await Promise.all(batch.flatMap((entry) => entry.events).map((event) => bus.publish(event)));
        queue.splice(0, batch.length);
        markPublished(batch.map((e) => e._id));
      } catch (err) {
        // broker down: leave it to the sweep, which retries from the database
        logger.warn({ err, entries: batch.length }, 'outbox publish failed; the sweep will retry');
        queue.length = 0;
        return;
      }
    }
  }

  function kick(): void {
    if (!draining) draining = drain().finally(() => { draining = null; if (queue.length && !stopped) kick(); });
  }

  /** Completes a writer that died between its two writes, or voids a create that lost its unique field. */
  async function complete(entry: OutboxEntry): Promise<'ready' | 'void'> {
    if (!entry.collection) return 'ready'; // events only: nothing to write
    const coll = db.collection<Versioned>(entry.collection);
    const current = await coll.findOne({ _id: entry.aggregateId });
    if (current && current.version >= entry.version) return 'ready';
    try {
      await writeAggregate(db, entry);
      logger.warn({ entry: entry._id }, 'outbox: completed an interrupted commit');
      return 'ready';
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'void';
      throw err;
    }
  }

  /** Deletes published entries past their retention and consumers' claims past the dedup window. */
  async function prune(now = Date.now()): Promise<void> {
    if (retention !== null) {
      await pruneExpiredBuckets({ db, collection: outbox.collectionName, field: 'pruneBucket', bucketMs: OUTBOX_PRUNE_BUCKET_MS, keepMs: retention, legacy: { timeField: 'publishedAt', filter: { status: 'published' } } }, now);
    }
    await pruneExpiredBuckets({ db, collection: PROCESSED_COLLECTION, field: 'bucket', bucketMs: DEDUP_BUCKET_MS, keepMs: opts.dedupWindowMs ?? DEDUP_WINDOW_MS, legacy: { timeField: 'at' } }, now);
  }

  async function sweep(): Promise<number> {
    const cutoff = new Date(Date.now() - grace);
    const pending = await pendingEntries(outbox);
    bus.metrics.outboxPending.set(pending.length);
    let published = 0;
    for (const entry of pending) {
      if (entry.createdAt > cutoff || stopped) continue;
      if ((await complete(entry)) === 'void') {
        logger.warn({ entry: entry._id }, 'outbox: voided a create that lost a unique-index race');
        await outbox.deleteOne({ _id: entry._id });
        continue;
      }
      await publishEntry(entry);
      published += 1;
    }
    if (Date.now() - lastJanitor > 60_000) {
      lastJanitor = Date.now();
      await prune();
    }
    return published;
  }

  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweep().catch((err) => logger.warn({ err }, 'outbox sweep failed; will retry'));
  }, sweepEvery);
  timer.unref();

  return {
    enqueue(entry) {
      if (stopped) return;
      queue.push(entry);
      kick();
    },
    suspect(collection, id) {
      suspects.add(`${collection}:${id}`);
    },
    sweep,
    prune,
    async idle() {
      while (draining || marking) await (draining ?? marking);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await draining;
      await marking;
      await sweeping;
    },
  };
}

/** How long `emitEvents` waits for JetStream's ack before it commits to the outbox instead. */
export const EMIT_ACK_TIMEOUT_MS = 2000;

/**
 * Publishes events that change no document (facts a client reports, e.g. storefront
 * interactions): straight to JetStream, whose ack is the commit (there is no document write to
 * be atomic with, so the outbox's two database writes and its mark would buy nothing). When the
 * broker does not ack in time, the events are committed to the outbox under `key` instead and
 * the relay publishes them once it can: nothing is lost either way, and the fast path writes
 * nothing to the database. Events keep their ids, so a publish that did land before its ack was
 * lost is dropped by JetStream's duplicate window when the relay publishes it again.
 */
export async function emitEvents(bus: Pick<EventBus, 'publish'>, committer: Pick<Committer, 'commitEvents'>, events: EventEnvelope[], opts: { timeoutMs?: number } = {}): Promise<'published' | 'queued'> {
  try {
    await Promise.all(events.map((event) => bus.publish(event, { timeoutMs: opts.timeoutMs ?? EMIT_ACK_TIMEOUT_MS })));
    return 'published';
  } catch {
    await committer.commitEvents(events);
    return 'queued';
  }
}
