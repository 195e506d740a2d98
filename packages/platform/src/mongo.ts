import mongoose, { type Connection } from 'mongoose';
import type { Logger } from './logger.ts';

export interface MongoOptions {
  url: string;
  dbName: string;
  logger?: Logger;
  /** emit driver command events (used by tests that count queries per request) */
  monitorCommands?: boolean;
  /** called for every command this connection sends (the service's query counter) */
  onCommand?: (c: SeenCommand) => void;
}

/**
 * Each subgraph owns one database. Indexes are created explicitly by each model module at start
 * (`autoIndex` off), because FerretDB rejects TTL/partial/text indexes and we never want a
 * silent background build in production.
 */
export async function connectMongo(opts: MongoOptions): Promise<Connection> {
  const conn = mongoose.createConnection(opts.url, {
    dbName: opts.dbName,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 5000,
    monitorCommands: (opts.monitorCommands ?? false) || commandWatchers.size > 0 || opts.onCommand !== undefined,
  });
  await conn.asPromise();
  if (commandWatchers.size > 0 || opts.onCommand) {
    conn.getClient().on('commandStarted', (ev: { commandName: string; command: Record<string, unknown> }) => {
      const coll = ev.command[ev.commandName];
      const seen = { db: opts.dbName, command: ev.commandName, collection: typeof coll === 'string' ? coll : '' };
      opts.onCommand?.(seen);
      for (const w of commandWatchers) w(seen);
    });
  }
  opts.logger?.debug({ db: opts.dbName }, 'mongo connected');
  return conn;
}

/** Creates the declared indexes of the given models (plain and unique ones only). */
export interface SeenCommand {
  db: string;
  command: string;
  collection: string;
}
const commandWatchers = new Set<(c: SeenCommand) => void>();

/**
 * Watches every command of every connection opened from now on in this process (tests of
 * DataLoader batching across several in-process services count queries per database with it).
 * Returns the function that stops watching.
 */
export function watchAllCommands(watcher: (c: SeenCommand) => void): () => void {
  commandWatchers.add(watcher);
  return () => commandWatchers.delete(watcher);
}

export async function ensureIndexes(conn: Connection): Promise<void> {
  for (const model of Object.values(conn.models)) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
}

export async function pingMongo(conn: Connection): Promise<void> {
  const db = conn.db;
  if (!db) throw new Error('mongo not connected');
  await db.command({ ping: 1 });
}

/**
 * Counts the commands a connection sends, per command and collection (e.g. `find products`).
 * Tests use it to assert DataLoader batching: one query per collection per request.
 */
export class CommandCounter {
  readonly counts = new Map<string, number>();
  /** the filter of every `find`, by collection */
  private readonly filters = new Map<string, Array<Record<string, unknown>>>();
  private readonly listener = (ev: { commandName: string; command: Record<string, unknown> }) => {
    const coll = ev.command[ev.commandName];
    const key = `${ev.commandName} ${typeof coll === 'string' ? coll : ''}`.trim();
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (ev.commandName === 'find' && typeof coll === 'string') {
      if (!this.filters.has(coll)) this.filters.set(coll, []);
      this.filters.get(coll)!.push((ev.command.filter ?? {}) as Record<string, unknown>);
    }
  };
  constructor(private readonly conn: Connection) {
    conn.getClient().on('commandStarted', this.listener);
  }
  reset(): void {
    this.counts.clear();
    this.filters.clear();
  }
  /** the filters of the `find` commands sent to a collection, in order */
  finds(collection: string): Array<Record<string, unknown>> {
    return this.filters.get(collection) ?? [];
  }
  get(commandName: string, collection: string): number {
    return this.counts.get(`${commandName} ${collection}`) ?? 0;
  }
  stop(): void {
    this.conn.getClient().off('commandStarted', this.listener);
  }
}
