import type { Committer, CommitResult, EventEnvelope, UpdateDecision, UpdateResult, Versioned } from '@commerce/events';
import { testLogger } from '@commerce/testing';
import type { InventoryDeps, InventoryStore } from '../../src/domain/deps.ts';
import type { ReservationRecord } from '../../src/domain/reservation.ts';
import type { StockLevelRecord } from '../../src/domain/stock-level.ts';

/** Yields to other tasks a random few times, so concurrent calls interleave like real I/O. */
const io = async () => {
  const n = Math.floor(Math.random() * 3);
  for (let i = 0; i <= n; i++) await new Promise((r) => setImmediate(r));
};

/**
 * An in-memory twin of the outbox committer with the same contract: a commit claims
 * `<collection>:<id>:<version>` (a second claim of the same version conflicts), then writes the
 * document; `update` decides on the newest committed state and retries on a lost race.
 */
export class MemoryCommitter implements Committer {
  readonly docs = new Map<string, Map<string, Versioned>>();
  readonly entries = new Map<string, { state: Versioned; events: EventEnvelope[] }>();
  readonly published: EventEnvelope[] = [];
  /** when set, a commit throws after its outbox claim (a crash between the two writes) */
  failAfterClaim: ((collection: string, next: Versioned) => boolean) | null = null;
  /** when set, a commit's document write lands this many ms after its outbox claim (others read the old one meanwhile) */
  docWriteDelay: ((collection: string, next: Versioned) => number) | null = null;

  coll(name: string): Map<string, Versioned> {
    let c = this.docs.get(name);
    if (!c) this.docs.set(name, (c = new Map()));
    return c;
  }

  get<T>(collection: string, id: string): T | null {
    const d = this.coll(collection).get(id);
    return d ? (structuredClone(d) as unknown as T) : null;
  }

  async commit<T extends Versioned>(collection: string, next: T, events: EventEnvelope[]): Promise<CommitResult> {
    await io();
    const key = `${collection}:${next._id}:${next.version}`;
    if (this.entries.has(key)) return { ok: false, reason: 'conflict' };
    this.entries.set(key, { state: structuredClone(next), events });
    if (this.failAfterClaim?.(collection, next)) throw new Error('simulated crash after the outbox claim');
    await io();
    const delay = this.docWriteDelay?.(collection, next) ?? 0;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    this.coll(collection).set(next._id, structuredClone(next));
    this.published.push(...events);
    return { ok: true };
  }

  async createMany<T extends Versioned>(collection: string, docs: Array<{ doc: T; events: EventEnvelope[] }>): Promise<void> {
    for (const d of docs) await this.commit(collection, d.doc, d.events);
  }

  onCommitted(): () => void {
    return () => undefined; // the memory store has no read model to keep current
  }

  async commitEvents(events: EventEnvelope[]): Promise<void> {
    await io();
    const key = `events:${events[0]?.id}`;
    if (this.entries.has(key)) return;
    this.entries.set(key, { state: { _id: key, version: 1 }, events });
    this.published.push(...events);
  }

  async update<T extends Versioned, R>(collection: string, id: string, decide: (current: T | null) => UpdateDecision<T, R>, opts?: { maxAttempts?: number }): Promise<UpdateResult<T, R>> {
    const maxAttempts = opts?.maxAttempts ?? 25;
    await io();
    let current = this.get<T>(collection, id);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const decision = decide(current ? structuredClone(current) : null);
      if ('done' in decision) return { status: 'done', value: decision.done };
      const result = await this.commit(collection, decision.next, decision.events);
      if (result.ok) return { status: 'committed', state: decision.next };
      let version = decision.next.version;
      let winner = this.entries.get(`${collection}:${id}:${version}`);
      while (winner) {
        current = structuredClone(winner.state) as T;
        version += 1;
        winner = this.entries.get(`${collection}:${id}:${version}`);
      }
      await io();
    }
    return { status: 'contended' };
  }

  /** every committed version of one aggregate, oldest first (what the outbox holds) */
  versions<T>(collection: string, id: string): T[] {
    const out: T[] = [];
    for (let v = 1; this.entries.has(`${collection}:${id}:${v}`); v++) out.push(this.entries.get(`${collection}:${id}:${v}`)!.state as unknown as T);
    return out;
  }
}

export class MemoryStore implements InventoryStore {
  readonly open = new Map<string, Date>();
  constructor(private readonly c: MemoryCommitter) {}
  async levelsOfVariants(variantIds: readonly string[]): Promise<StockLevelRecord[]> {
    const ids = new Set(variantIds);
    return [...this.c.coll('stock_levels').values()].filter((l) => ids.has((l as unknown as StockLevelRecord).variantId)).map((l) => structuredClone(l) as unknown as StockLevelRecord);
  }
  async reservation(id: string): Promise<ReservationRecord | null> {
    return this.c.get<ReservationRecord>('reservations', id);
  }
  async hasVersionAfter(collection: string, id: string, version: number): Promise<boolean> {
    return this.c.entries.has(`${collection}:${id}:${version + 1}`);
  }
  async reservations(ids: readonly string[]): Promise<ReservationRecord[]> {
    return ids.map((id) => this.c.get<ReservationRecord>('reservations', id)).filter((r): r is ReservationRecord => !!r);
  }
  async watch(id: string, since: Date): Promise<void> {
    this.open.set(id, since);
  }
  async unwatch(id: string, notAfter: Date): Promise<void> {
    const since = this.open.get(id);
    if (since && since.getTime() <= notAfter.getTime()) this.open.delete(id);
  }
  async watched(limit: number): Promise<Array<{ _id: string; since: Date }>> {
    return [...this.open].slice(0, limit).map(([_id, since]) => ({ _id, since }));
  }
}

export interface MemoryDeps extends InventoryDeps {
  committer: MemoryCommitter;
  store: MemoryStore;
  /** moves the fake clock */
  advance(ms: number): void;
}

export function memoryDeps(opts: { ttlMs?: number; leaseMs?: number } = {}): MemoryDeps {
  const committer = new MemoryCommitter();
  let now = Date.now();
  return {
    committer,
    store: new MemoryStore(committer),
    logger: testLogger,
    clock: () => new Date(now),
    reservationTtlMs: opts.ttlMs ?? 60_000,
    leaseMs: opts.leaseMs ?? 30_000,
    advance(ms: number) {
      now += ms;
    },
  };
}
