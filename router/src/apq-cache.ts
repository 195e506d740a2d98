import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from '@commerce/platform';

/**
 * Automatic persisted queries kept in Redis, so every router instance knows a query any of them
 * registered (Apollo's default is an in-memory cache per instance). Keys are the query hashes.
 */
export class RedisQueryCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'apq:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', options.ttl);
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}
