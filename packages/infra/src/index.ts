import path from 'node:path';
import type { ResolveContext } from './context.ts';
import { errorMessage, InfrastructureError } from './errors.ts';
import { resolveMongo, type MongoKind } from './mongo.ts';
import { resolveNats } from './nats.ts';
import { findRepoRoot } from './paths.ts';
import type { Stoppable } from './process.ts';
import { resolveRedis } from './redis.ts';

export { InfrastructureError } from './errors.ts';
export { ensureFerretDbBinary, equalityIndexedFields } from './ferretdb.ts';
export { mongoUrlFor, type MongoKind } from './mongo.ts';
export { pingMongo } from './mongo-ping.ts';
export { readNatsInfo, startNatsServer, usersOfConf, withCredentials, USERS_CONF, type NatsServerOptions } from './nats.ts';
export { findExecutable, freePort } from './process.ts';
export { waitForPort } from './net.ts';
export { findRepoRoot } from './paths.ts';
export { pingRedis } from './redis.ts';

export interface Infrastructure {
  /** Base URL without a database name, e.g. 'mongodb://127.0.0.1:27017/?directConnection=true'; see mongoUrlFor. */
  mongoUrl: string;
  mongoKind: MongoKind;
  /**
   * When the database is FerretDB on PostgreSQL with the equality indexes installed, the URL of
   * that PostgreSQL database (tests check the indexes there); otherwise undefined.
   */
  ferretdbPostgresUrl?: string;
  /**
   * e.g. 'nats://127.0.0.1:4222'; with the admin user's credentials in it when the server has the
   * generated users (a nats-server this bootstrap started: `nats://admin:…@127.0.0.1:4222`)
   */
  natsUrl: string;
  /**
   * When the server has the generated users (deploy/nats/users.conf): each user's development
   * password (`admin` and one per service), so `npm start` connects every service as its own user.
   */
  natsUsers?: Record<string, string>;
  /** e.g. 'redis://127.0.0.1:6379' */
  redisUrl: string;
  /** Stops only what this call started (child processes); idempotent. */
  stop(): Promise<void>;
  /** Lets what this call started outlive this process (another test run still uses it). */
  detach(): void;
}

export interface EnsureOptions {
  /** Repo root; default: the nearest directory above this file whose package.json has "workspaces". */
  rootDir?: string;
  /** Data directories and logs of started servers; default `<rootDir>/.data` (relative: to rootDir). */
  dataDir?: string;
  /** Where MONGO_URL, NATS_URL, REDIS_URL and PATH are read from; also the environment of started servers. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines; default console.error with an '[infra] ' prefix. */
  log?: (line: string) => void;
  /** Port for a locally started mongod / memory server / FerretDB; default 27017. */
  mongoPort?: number;
  /**
   * Port probed for a MongoDB that is already running (mongoPort is probed too); default 27017.
   * Tests set it to a free port so that a server someone left on 27017 does not change what they test.
   */
  existingMongoPort?: number;
  /** Port probed for, and used by, a local nats-server; default 4222. */
  natsPort?: number;
  /** Port probed for, and used by, a local redis-server; default 6379. */
  redisPort?: number;
}

/**
 * Finds or starts MongoDB (or a compatible server), NATS with JetStream and Redis; see README.md
 * for the order in which each is looked for. Rejects with InfrastructureError, after stopping
 * whatever it had started, if any of the three cannot be had.
 */
export async function ensureInfrastructure(opts: EnsureOptions = {}): Promise<Infrastructure> {
  const rootDir = path.resolve(opts.rootDir ?? findRepoRoot());
  const log = opts.log ?? ((line: string) => console.error(`[infra] ${line}`));
  const started: Stoppable[] = [];
  const ctx: ResolveContext = {
    rootDir,
    dataDir: path.resolve(rootDir, opts.dataDir ?? '.data'),
    env: opts.env ?? process.env,
    log,
    mongoPort: opts.mongoPort ?? 27017,
    existingMongoPort: opts.existingMongoPort ?? 27017,
    natsPort: opts.natsPort ?? 4222,
    redisPort: opts.redisPort ?? 6379,
    track: (s) => started.push(s),
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of [...started].reverse()) {
        try {
          await s.stop();
        } catch (err) {
          log(`stopping ${s.name} failed: ${errorMessage(err)}`);
        }
      }
    })());

  // The three are independent: resolve them at once, so that when several are missing the
  // person at the terminal learns about all of them from one run.
  const [mongo, nats, redis] = await Promise.allSettled([resolveMongo(ctx), resolveNats(ctx), resolveRedis(ctx)]);
  if (mongo.status === 'rejected' || nats.status === 'rejected' || redis.status === 'rejected') {
    await stop();
    const reasons = [mongo, nats, redis].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (reasons.length === 1 && reasons[0] instanceof InfrastructureError) throw reasons[0];
    throw new InfrastructureError(reasons.map(errorMessage).join('\n'), { cause: reasons.length === 1 ? reasons[0] : reasons });
  }
  const detach = () => {
    for (const s of started) s.detach?.();
  };
  return { mongoUrl: mongo.value.url, mongoKind: mongo.value.kind, ...(mongo.value.equalityIndexes ? { ferretdbPostgresUrl: mongo.value.equalityIndexes } : {}), natsUrl: nats.value.url, ...(nats.value.users ? { natsUsers: nats.value.users } : {}), redisUrl: redis.value, stop, detach };
}
