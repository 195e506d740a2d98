import { randomBytes } from 'node:crypto';
import { MAX_AGE_MS } from '@commerce/events';
import type { Redis } from '@commerce/platform';
import { epochDay, HOUR_MS, MINUTE_MS, type Granularity } from '../domain/buckets.ts';
import { countsFromHash, countsToHash, TOP_KINDS, UNIQUE_KINDS, type TopKind, type UniqueKind, type Uniques } from '../domain/counts.ts';
import type { Buckets } from '../domain/deps.ts';
import { sessionMessagesKey, type Fact } from '../domain/facts.ts';
import { ROLLUP_TOP, type Rollup, type TopEntry } from '../domain/rollups.ts';

/**
 * The live counts in Redis (the `Buckets` port). Every key starts with the configured prefix P
 * (ANALYTICS_REDIS_PREFIX, `an:`):
 *
 *   P d:<fact key>            de-duplication: SET NX, EX ANALYTICS_DEDUP_TTL_SECONDS
 *   P m:<epoch minute>        hash: views searches addToCarts orders cancelled purchases reviews
 *                             recImpressions recClicks revenue:<CUR> (minor units)
 *   P h:<epoch hour>          the same per hour
 *   P u:<v|c|o>:m:<minute>    HyperLogLogs of the subjects that viewed / added to cart / ordered
 *   P u:<v|c|o>:h:<hour>      the same per hour (funnels over long windows)
 *   P z:<v|c|p>:<hour>        sorted sets: product views, add-to-carts, units purchased
 *   P dirty                   minutes touched since the last flush
 *   P restored                marker: this Redis holds the analytics state (gone = Redis lost it);
 *                             hashes made while it exists carry it in their field `_g`
 *   P lock:<name>, P tmp:…    the flush/restore locks; query temporaries (expire within a minute)
 *
 * Minute keys expire ANALYTICS_MINUTE_TTL_HOURS after their minute, hour keys
 * ANALYTICS_HOUR_TTL_DAYS after their hour (PEXPIREAT from the bucket, so a late fact does not
 * keep an old bucket alive). The counting script builds its keys from the prefix (one Redis, not
 * a cluster: the keys of one message are not declared up front).
 */
const COUNT_SCRIPT = `
local p = ARGV[1]
local ttl = ARGV[2]
local facts = cjson.decode(ARGV[3])
local gen = redis.call('GET', p .. 'restored')
local out = {}
for i, f in ipairs(facts) do
  if redis.call('SET', p .. 'd:' .. f.k, '1', 'NX', 'EX', ttl) then
    local mk = p .. 'm:' .. f.m
    local hk = p .. 'h:' .. f.h
    for _, inc in ipairs(f.i) do
      redis.call('HINCRBY', mk, inc[1], inc[2])
      redis.call('HINCRBY', hk, inc[1], inc[2])
    end
    if #f.i > 0 then
      if gen then
        redis.call('HSETNX', mk, '_g', gen)
        redis.call('HSETNX', hk, '_g', gen)
      end
      redis.call('PEXPIREAT', mk, f.me)
      redis.call('PEXPIREAT', hk, f.he)
    end
    for _, u in ipairs(f.u) do
      local um = p .. 'u:' .. u[1] .. ':m:' .. f.m
      local uh = p .. 'u:' .. u[1] .. ':h:' .. f.h
      redis.call('PFADD', um, u[2])
      redis.call('PEXPIREAT', um, f.me)
      redis.call('PFADD', uh, u[2])
      redis.call('PEXPIREAT', uh, f.he)
    end
    for _, z in ipairs(f.z) do
      local zk = p .. 'z:' .. z[1] .. ':' .. f.h
      redis.call('ZINCRBY', zk, z[3], z[2])
      redis.call('PEXPIREAT', zk, f.he)
    end
    redis.call('SADD', p .. 'dirty', f.m)
    out[i] = 1
  else
    out[i] = 0
  end
end
if ARGV[4] then
  redis.call('SADD', p .. ARGV[4], ARGV[5])
  redis.call('EXPIRE', p .. ARGV[4], ARGV[6])
end
return out
`;

/**
 * Adds a rollup back into its bucket, once. KEYS[1] the bucket's hash, KEYS[2..] its sorted sets
 * (hours: v, c, p). ARGV[1] expire-at (ms), ARGV[2] the marker, ARGV[3] n, then n field/value
 * pairs; then per sorted set its m, then m score/member pairs.
 *
 * A hash carries `_g` when it was made while the marker existed (it holds the counts from before
 * any loss) or once it was restored: it is left alone. One without `_g` was made after Redis lost
 * its data: the rollup's counts (all from before the loss, as no flush runs while the marker is
 * gone) are added to it. So a restore neither overwrites counts made since nor applies twice.
 */
const RESTORE_BUCKET_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], '_g') == 1 then return 0 end
local at = ARGV[1]
local n = tonumber(ARGV[3])
local i = 4
for j = 1, n do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('HSET', KEYS[1], '_g', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], at)
for k = 2, #KEYS do
  local m = tonumber(ARGV[i])
  i = i + 1
  for j = 1, m do
    redis.call('ZINCRBY', KEYS[k], ARGV[i], ARGV[i + 1])
    i = i + 2
  end
  if m > 0 then redis.call('PEXPIREAT', KEYS[k], at) end
end
return 1
`;

const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface AnalyticsCommands {
  analyticsCount(prefix: string, dedupTtlSeconds: number, factsJson: string, ...remember: string[]): Promise<number[]>;
  /** numkeys first: the hash, then (hours) the sorted sets */
  analyticsRestoreBucket(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  analyticsUnlock(key: string, token: string): Promise<number>;
}

export interface RedisBucketsOptions {
  prefix: string;
  dedupTtlSeconds: number;
  minuteTtlSeconds: number;
  hourTtlSeconds: number;
}

const TEMP_TTL_MS = 60_000;
const EXISTS_CHUNK = 1000;

/** Defines analytics' scripts on the client (ioredis defineCommand: EVALSHA, loaded on demand). */
function withCommands(redis: Redis): Redis & AnalyticsCommands {
  const r = redis as Redis & Partial<AnalyticsCommands>;
  if (!r.analyticsCount) {
    redis.defineCommand('analyticsCount', { numberOfKeys: 0, lua: COUNT_SCRIPT });
    redis.defineCommand('analyticsRestoreBucket', { lua: RESTORE_BUCKET_SCRIPT });
    redis.defineCommand('analyticsUnlock', { numberOfKeys: 1, lua: UNLOCK_SCRIPT });
  }
  return r as Redis & AnalyticsCommands;
}

/** A pipeline's results, failing on the first error. */
async function run<T = unknown>(p: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<T[]> {
  const res = (await p.exec()) ?? [];
  return res.map(([err, v]) => {
    if (err) throw err;
    return v as T;
  });
}

const pairs = (flat: string[]): TopEntry[] => {
  const out: TopEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i]!, n: Number(flat[i + 1]) });
  return out;
};

export function createRedisBuckets(client: Redis, opts: RedisBucketsOptions): Buckets {
  const redis = withCommands(client);
  const p = opts.prefix;
  const key = {
    hash: (g: Granularity, b: number) => `${p}${g === 'MINUTE' ? 'm' : 'h'}:${b}`,
    uniques: (kind: UniqueKind, g: Granularity, b: number) => `${p}u:${kind}:${g === 'MINUTE' ? 'm' : 'h'}:${b}`,
    top: (kind: TopKind, hour: number) => `${p}z:${kind}:${hour}`,
    dirty: `${p}dirty`,
    marker: `${p}restored`,
    lock: (name: string) => `${p}lock:${name}`,
    temp: () => `${p}tmp:${randomBytes(8).toString('hex')}`,
  };
  const expireAt = (g: Granularity, b: number) => (g === 'MINUTE' ? (b + 1) * MINUTE_MS + opts.minuteTtlSeconds * 1000 : (b + 1) * HOUR_MS + opts.hourTtlSeconds * 1000);
  const kinds = Object.entries(UNIQUE_KINDS) as Array<[keyof Uniques, UniqueKind]>;

  return {
    async count(facts: readonly Fact[], message?: { sessionId: string; seq: number }) {
      if (facts.length === 0) return [];
      const json = JSON.stringify(
        facts.map((f) => {
          const m = Math.floor(f.at / MINUTE_MS);
          const h = Math.floor(m / 60);
          if (!Number.isFinite(m)) throw new Error(`fact ${f.key}: no valid time`);
          // numbers as strings: Lua would print large ones in exponent notation
          return {
            k: f.key,
            m: String(m),
            h: String(h),
            me: String(expireAt('MINUTE', m)),
            he: String(expireAt('HOUR', h)),
            i: f.inc.map(([field, n]) => [field, String(n)]),
            u: f.uniques,
            z: f.top.map(([kind, id, n]) => [kind, id, String(n)]),
          };
        }),
      );
      // ARGV[4..6]: the session's message-sequence set, the sequence, and how long the stream keeps it
      const remember = message ? [sessionMessagesKey(message.sessionId), String(message.seq), String(Math.ceil(MAX_AGE_MS / 1000) + 3600)] : [];
      const out = await redis.analyticsCount(p, opts.dedupTtlSeconds, json, ...remember);
      return out.map((v) => v === 1);
    },

    async messagesOf(sessionIds) {
      if (sessionIds.length === 0) return [];
      const pipe = redis.pipeline();
      for (const s of sessionIds) pipe.smembers(`${p}${sessionMessagesKey(s)}`);
      return (await run<string[]>(pipe)).flat().map(Number);
    },

    async forgetMessages(sessionIds) {
      if (sessionIds.length === 0) return;
      await redis.del(...sessionIds.map((s) => `${p}${sessionMessagesKey(s)}`));
    },

    async counts(g, buckets) {
      if (buckets.length === 0) return [];
      const pipe = redis.pipeline();
      for (const b of buckets) pipe.hgetall(key.hash(g, b));
      const rows = await run<Record<string, string>>(pipe);
      return rows.map((h) => (h && Object.keys(h).length ? countsFromHash(h) : null));
    },

    async uniques(g, buckets) {
      if (buckets.length === 0) return [];
      const pipe = redis.pipeline();
      for (const b of buckets) for (const [, kind] of kinds) pipe.pfcount(key.uniques(kind, g, b));
      const n = await run<number>(pipe);
      return buckets.map((_, i) => ({ viewed: n[i * 3]!, addedToCart: n[i * 3 + 1]!, ordered: n[i * 3 + 2]! }));
    },

    async unionUniques(sources, extra) {
      const temps: string[] = [];
      try {
        const out: Uniques = { viewed: 0, addedToCart: 0, ordered: 0 };
        for (const [name, kind] of kinds) {
          const keys = [...sources.minutes.map((m) => key.uniques(kind, 'MINUTE', m)), ...sources.hours.map((h) => key.uniques(kind, 'HOUR', h))];
          for (const dump of extra) {
            const raw = dump[kind];
            if (!raw) continue;
            const t = key.temp();
            temps.push(t);
            await redis.set(t, Buffer.from(raw, 'base64'), 'PX', TEMP_TTL_MS);
            keys.push(t);
          }
          out[name] = keys.length ? await redis.pfcount(...(keys as [string, ...string[]])) : 0;
        }
        return out;
      } finally {
        if (temps.length) await redis.del(...temps);
      }
    },

    async top(kind, hours, extra, first) {
      const keys = hours.map((h) => key.top(kind, h.hour));
      const weights = hours.map((h) => String(h.weight));
      const dest = key.temp();
      const extraKey = extra.length ? key.temp() : null;
      try {
        if (extraKey) {
          await redis.zadd(extraKey, ...extra.flatMap((e) => [String(e.n), e.id]));
          await redis.pexpire(extraKey, TEMP_TTL_MS);
          keys.push(extraKey);
          weights.push('1');
        }
        if (keys.length === 0) return [];
        const [, , flat] = await run<unknown>(
          redis
            .multi()
            .zunionstore(dest, keys.length, ...keys, 'WEIGHTS', ...weights)
            .pexpire(dest, TEMP_TTL_MS)
            .zrevrange(dest, 0, first - 1, 'WITHSCORES'),
        );
        return pairs(flat as string[]);
      } finally {
        await redis.del(dest, ...(extraKey ? [extraKey] : []));
      }
    },

    async scores(kind, hours, members) {
      if (members.length === 0) return [];
      if (hours.length === 0) return members.map(() => 0);
      const dest = key.temp();
      try {
        const keys = hours.map((h) => key.top(kind, h));
        const [, , raw] = await run<unknown>(
          redis
            .multi()
            .zunionstore(dest, keys.length, ...keys)
            .pexpire(dest, TEMP_TTL_MS)
            .zmscore(dest, ...members),
        );
        return (raw as Array<string | null>).map((s) => (s === null ? 0 : Number(s)));
      } finally {
        await redis.del(dest);
      }
    },

    async takeDirty(max) {
      const taken = await redis.spop(key.dirty, max);
      return (taken ?? []).map(Number).filter(Number.isFinite);
    },

    async markDirty(minutes) {
      if (minutes.length) await redis.sadd(key.dirty, ...minutes.map(String));
    },

    async snapshot(g, buckets) {
      if (buckets.length === 0) return [];
      const pipe = redis.pipeline();
      for (const b of buckets) {
        pipe.hgetall(key.hash(g, b));
        for (const [, kind] of kinds) pipe.getBuffer(key.uniques(kind, g, b));
        for (const [, kind] of kinds) pipe.pfcount(key.uniques(kind, g, b));
        if (g === 'HOUR') for (const kind of TOP_KINDS) pipe.zrevrange(key.top(kind, b), 0, ROLLUP_TOP - 1, 'WITHSCORES');
      }
      const res = await run<unknown>(pipe);
      const per = g === 'HOUR' ? 1 + 3 + 3 + 3 : 1 + 3 + 3;
      const now = new Date();
      const out: Rollup[] = [];
      buckets.forEach((b, i) => {
        const at = i * per;
        const hash = res[at] as Record<string, string>;
        if (!hash || Object.keys(hash).length === 0) return; // nothing counted (or expired): the rollup stays as it is
        const hll: Rollup['hll'] = {};
        kinds.forEach(([, kind], k) => {
          const buf = res[at + 1 + k] as Buffer | null;
          if (buf && buf.length) hll[kind] = buf.toString('base64');
        });
        const uniques: Uniques = { viewed: res[at + 4] as number, addedToCart: res[at + 5] as number, ordered: res[at + 6] as number };
        const rollup: Rollup = { _id: b, day: epochDay(g === 'MINUTE' ? b * MINUTE_MS : b * HOUR_MS), counts: countsFromHash(hash), uniques, hll, updatedAt: now };
        if (g === 'HOUR') rollup.top = { v: pairs(res[at + 7] as string[]), c: pairs(res[at + 8] as string[]), p: pairs(res[at + 9] as string[]) };
        out.push(rollup);
      });
      return out;
    },

    async holdsAny(g, buckets) {
      for (let i = 0; i < buckets.length; i += EXISTS_CHUNK) {
        const keys = buckets.slice(i, i + EXISTS_CHUNK).map((b) => key.hash(g, b));
        if ((await redis.exists(...keys)) > 0) return true;
      }
      return false;
    },

    async restore(g, rollups, now) {
      let written = 0;
      const marker = (await redis.get(key.marker)) ?? 'restored';
      for (const r of rollups) {
        const at = expireAt(g, r._id);
        if (at <= now) continue;
        for (const [, kind] of kinds) {
          const raw = r.hll?.[kind];
          if (!raw) continue;
          // a union with whatever was counted since: restoring twice changes nothing
          const t = key.temp();
          const target = key.uniques(kind, g, r._id);
          await run(redis.multi().set(t, Buffer.from(raw, 'base64'), 'PX', TEMP_TTL_MS).pfmerge(target, t).pexpireat(target, at).del(t));
        }
        const fields = Object.entries(countsToHash(r.counts)).flat();
        const keys = [key.hash(g, r._id), ...(g === 'HOUR' ? TOP_KINDS.map((kind) => key.top(kind, r._id)) : [])];
        const sets = g === 'HOUR' ? TOP_KINDS.flatMap((kind) => {
          const entries = r.top?.[kind] ?? [];
          return [entries.length, ...entries.flatMap((e) => [e.n, e.id])];
        }) : [];
        written += await redis.analyticsRestoreBucket(keys.length, ...keys, at, marker, fields.length / 2, ...fields, ...sets);
      }
      return written;
    },

    async withLock(name, ttlMs, fn) {
      const token = randomBytes(12).toString('hex');
      const k = key.lock(name);
      if ((await redis.set(k, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
      try {
        return await fn();
      } finally {
        await redis.analyticsUnlock(k, token).catch(() => undefined);
      }
    },

    async hasMarker() {
      return (await redis.exists(key.marker)) === 1;
    },

    async setMarker() {
      await redis.set(key.marker, new Date().toISOString());
    },
  };
}
