import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Logger, Redis } from '@commerce/platform';

/**
 * An Apollo KeyValueCache in Redis, shared by every router instance: the automatic persisted
 * queries (Apollo's default is an in-memory cache per instance) and the response cache.
 * With `failOpen`, a Redis error reads as a miss and a write is dropped (logged): a cache must
 * not take the API down with it.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly failOpen?: { logger: Logger },
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (err) {
      if (!this.failOpen) throw err;
      this.failOpen.logger.warn({ err }, 'cache read failed; treated as a miss');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(options.ttl)));
      else await this.redis.set(this.prefix + key, value);
    } catch (err) {
      if (!this.failOpen) throw err;
      this.failOpen.logger.warn({ err }, 'cache write failed; dropped');
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}
