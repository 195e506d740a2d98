import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';

/**
 * The router caches public catalog responses in Redis under a key that includes this counter;
 * the catalog bumps it whenever its read model changed in a way a cached response could show
 * (a product, price or category; a variant going in or out of stock). One INCR retires every
 * cached catalog response at once, on every router instance.
 */
export const RESPONSE_CACHE_GENERATION_KEY = 'edge:response-cache:generation';

/**
 * `invalidate()` bumps the generation once per event-loop turn however many changes were applied
 * in it (a burst of events costs one INCR). A failed INCR is retried with the next change and
 * logged; cached entries still expire by their max-age.
 */
export function createCacheInvalidator(redis: Redis, logger: Logger, key = RESPONSE_CACHE_GENERATION_KEY): { invalidate(): void; flush(): Promise<void> } {
  let pending: Promise<void> | null = null;
  return {
    invalidate() {
      pending ??= new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => {
          pending = null;
          return redis.incr(key);
        })
        .then(
          () => undefined,
          (err) => logger.warn({ err }, 'response cache invalidation failed'),
        );
    },
    async flush() {
      await pending;
    },
  };
}
