import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { Counter } from 'prom-client';
import { RESPONSE_CACHE_GENERATION_KEY, type Logger, type Redis } from '@commerce/platform';
import type { RouterContext } from '../context.ts';
import type { RouterPlugin } from '../plugin.ts';
import { RedisKeyValueCache } from '../redis-cache.ts';
import type { RouterMetrics } from './use-metrics.ts';

export interface ResponseCacheOptions {
  redis: Redis;
  logger: Logger;
  metrics: RouterMetrics;
}

/**
 * Whole-response cache for public data, in Redis (Apollo's response-cache plugin). What may be
 * cached, and for how long, comes from the subgraphs' @cacheControl hints (the gateway combines
 * their Cache-Control headers; anything without a hint, or PRIVATE, is not cached). Only requests
 * without a customer identity read or write it: personalized data never enters the cache.
 * Invalidation: the cache key includes a generation counter that the catalog and reviews bump
 * when their read models change (a price change retires every cached response at once); max-age
 * bounds what is left. Responses say `x-cache: HIT|MISS`; Cache-Control headers for CDNs come from
 * the same policy.
 */
export function useResponseCache(opts: ResponseCacheOptions): RouterPlugin {
  const lookups = new Counter({
    name: 'router_response_cache_total',
    help: 'Response cache lookups of cacheable requests, by result (hit, miss)',
    labelNames: ['result'],
    registers: [opts.metrics.registry],
  });
  const publicRequest = async (rc: { contextValue: RouterContext }) => rc.contextValue.user === null;
  return {
    name: 'response-cache',
    apollo: [
      responseCachePlugin<RouterContext>({
        cache: new RedisKeyValueCache(opts.redis, 'edge:response-cache:', { logger: opts.logger }),
        shouldReadFromCache: publicRequest,
        shouldWriteToCache: publicRequest,
        // the plugin asks for this before shouldReadFromCache: skip the Redis read for customers
        extraCacheKeyData: async (rc) => {
          if (rc.contextValue.user !== null) return null;
          try {
            return (await opts.redis.get(RESPONSE_CACHE_GENERATION_KEY)) ?? '0';
          } catch (err) {
            rc.contextValue.logger.warn({ err }, 'cannot read the response cache generation; bypassing the cache');
            return `unavailable:${Math.random()}`;
          }
        },
      }),
      {
        async requestDidStart() {
          return {
            async willSendResponse(rc) {
              const hit = rc.metrics.responseCacheHit;
              if (hit === undefined) return; // the cache was not consulted (an early error)
              rc.response.http.headers.set('x-cache', hit ? 'HIT' : 'MISS');
              if (rc.contextValue.user === null) lookups.inc({ result: hit ? 'hit' : 'miss' });
            },
          };
        },
      },
    ],
  };
}
