import type { Cache } from './cache.ts';
import { createMemoryCache } from './memory-cache.ts';
import { createRedisCache } from './redis-cache.ts';

export interface CreateCacheOptions {
  /** Unset: the in-memory cache of the all-in-one mode. */
  redisUrl?: string;
  keyPrefix?: string;
  /** Bound of the in-memory cache. */
  maxEntries?: number;
  onError?: (error: Error) => void;
}

/** Chooses the adapter from configuration only; callers never know which one runs. */
export function createCache(options: CreateCacheOptions = {}): Cache {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return createMemoryCache(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries });
  }
  return createRedisCache({
    url: options.redisUrl,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
