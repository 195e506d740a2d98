import type { Db } from 'mongodb';
import { isDuplicateKeyError, type Committer } from '@commerce/events';
import type { Redis } from '@commerce/platform';
import type { AttemptRecord, DeliveryRecord } from '../domain/delivery.ts';
import { subDayOf } from '../domain/delivery.ts';
import type { DeliveryStore, HealthStore, RouteStore, StockLevelRecord, StockLevelStore, SubscriptionStore } from '../domain/deps.ts';
import { SUBSCRIPTIONS_COLLECTION, type SubscriptionRecord } from '../domain/subscription.ts';

export const ROUTES_COLLECTION = 'webhook_routes';
export const DELIVERIES_COLLECTION = 'webhook_deliveries';
export const ATTEMPTS_COLLECTION = 'webhook_attempts';
export const STOCK_LEVELS_COLLECTION = 'webhook_stock_levels';

interface RouteRecord {
  _id: string; // `<eventType>|<subscriptionId>`
  eventType: string;
  subscriptionId: string;
}

/**
 * The indexes every read here uses: each read is an equality on the index's leading field (which
 * the FerretDB equality indexes of @commerce/infra serve too); no TTL or partial index (FerretDB).
 */
export async function ensureWebhooksIndexes(db: Db): Promise<void> {
  await db.collection(SUBSCRIPTIONS_COLLECTION).createIndex({ partnerId: 1 });
  await db.collection(ROUTES_COLLECTION).createIndex({ eventType: 1 });
  await db.collection(DELIVERIES_COLLECTION).createIndex({ subDay: 1 });
  await db.collection(DELIVERIES_COLLECTION).createIndex({ day: 1 });
  await db.collection(ATTEMPTS_COLLECTION).createIndex({ deliveryId: 1 });
  await db.collection(ATTEMPTS_COLLECTION).createIndex({ day: 1 });
}

/** Subscriptions are versioned aggregates committed through the outbox (Committer): race-safe on FerretDB. */
export function createSubscriptionStore(db: Db, committer: Committer): SubscriptionStore {
  const coll = db.collection<SubscriptionRecord>(SUBSCRIPTIONS_COLLECTION);
  return {
    get: (id) => coll.findOne({ _id: id }),
    byPartner: (partnerId) => coll.find({ partnerId }).toArray(),
    async create(record) {
      const r = await committer.commit(SUBSCRIPTIONS_COLLECTION, record, []);
      return r.ok;
    },
    async change(id, decide) {
      const r = await committer.update<SubscriptionRecord, null>(SUBSCRIPTIONS_COLLECTION, id, (current) => {
        const d = decide(current);
        return d ? { next: d.next, events: d.events } : { done: null };
      });
      return r.status === 'committed' ? r.state : null;
    },
  };
}

export function createRouteStore(db: Db): RouteStore {
  const coll = db.collection<RouteRecord>(ROUTES_COLLECTION);
  return {
    async add(eventType, subscriptionId) {
      try {
        await coll.insertOne({ _id: `${eventType}|${subscriptionId}`, eventType, subscriptionId });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
    async remove(eventType, subscriptionId) {
      await coll.deleteOne({ _id: `${eventType}|${subscriptionId}` });
    },
    async subscriptionsFor(eventType) {
      return (await coll.find({ eventType }).toArray()).map((r) => r.subscriptionId);
    },
  };
}

/**
 * The delivery log. A delivery has one writer at a time (the worker holding its work item, or a
 * replay that starts a new generation whose older work items are then dropped), so plain updates
 * by `_id` are safe on FerretDB too.
 */
export function createDeliveryStore(db: Db): DeliveryStore {
  const deliveries = db.collection<DeliveryRecord>(DELIVERIES_COLLECTION);
  const attempts = db.collection<AttemptRecord>(ATTEMPTS_COLLECTION);
  return {
    async insert(record) {
      try {
        await deliveries.insertOne(record);
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    get: (id) => deliveries.findOne({ _id: id }),
    byDay: (subscriptionId, day) => deliveries.find({ subDay: subDayOf(subscriptionId, day) }).toArray(),
    async update(id, set, incAttempts) {
      await deliveries.updateOne({ _id: id }, { $set: set, ...(incAttempts ? { $inc: { attempts: 1 } } : {}) });
    },
    async addAttempt(attempt) {
      try {
        await attempts.insertOne(attempt);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
    attemptsOf: (deliveryId) => attempts.find({ deliveryId }).toArray(),
    async pruneDay(day) {
      const a = await deliveries.deleteMany({ day });
      await attempts.deleteMany({ day });
      return a.deletedCount;
    },
  };
}

/** Last seen stock level per variant; one writer (the serial low-stock consumer). */
export function createStockLevelStore(db: Db): StockLevelStore {
  const coll = db.collection<StockLevelRecord>(STOCK_LEVELS_COLLECTION);
  return {
    get: (variantId) => coll.findOne({ _id: variantId }),
    async put(record) {
      await coll.replaceOne({ _id: record._id }, record, { upsert: true });
    },
  };
}

/**
 * Failure streaks in Redis (one hash per endpoint): the first failure's time and the count,
 * incremented atomically by every instance's workers; a success or an enable deletes it.
 */
const FAILED_SCRIPT = `
redis.call('HSETNX', KEYS[1], 'since', ARGV[1])
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {n, redis.call('HGET', KEYS[1], 'since')}
`;

export function createHealthStore(redis: Redis, prefix: string, keepMs: number): HealthStore {
  const key = (id: string) => `${prefix}health:${id}`;
  return {
    async failed(subscriptionId, at) {
      const [n, since] = (await redis.eval(FAILED_SCRIPT, 1, key(subscriptionId), String(at.getTime()), String(keepMs))) as [number, string];
      return { failures: Number(n), since: new Date(Number(since)) };
    },
    async reset(subscriptionId) {
      await redis.del(key(subscriptionId));
    },
  };
}
