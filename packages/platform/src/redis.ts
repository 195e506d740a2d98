import { Redis } from 'ioredis';

/** A Redis client that fails fast instead of queueing commands forever while Redis is down. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 3000, lazyConnect: false });
}
export type { Redis };
