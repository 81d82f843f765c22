import type { Cache } from './cache.ts';
import { createMemoryCache } from './memory-cache.ts';

export interface CreateCacheOptions {
  /** Unset: the in-memory cache of the all-in-one mode. */
  redisUrl?: string;
  keyPrefix?: string;
  /** Bound of the in-memory cache. */
  maxEntries?: number;
  onError?: (error: Error) => void;
}

/**
 * Chooses the adapter from configuration only; callers never know which one runs. The Redis client
 * loads only when REDIS_URL is set (the in-memory cache does not carry its ~2.5 MB of heap).
 */
export async function createCache(options: CreateCacheOptions = {}): Promise<Cache> {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return createMemoryCache(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries });
  }
  const { createRedisCache } = await import('./redis-cache.ts');
  return createRedisCache({
    url: options.redisUrl,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
