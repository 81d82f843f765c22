export {
  type BackoffAnswer,
  type BackoffPolicy,
  backoffDelayMs,
} from './backoff.ts';
export { type BackoffLimiter, type BackoffLimiterOptions, createBackoffLimiter } from './backoff-limiter.ts';
export { type BatchMemo, memoizeBatch } from './batch-memo.ts';
export type { Cache } from './cache.ts';
export { type CreateCacheOptions, createCache } from './create-cache.ts';
export { createMemoryCache, type MemoryCacheOptions } from './memory-cache.ts';
export {
  createRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
} from './rate-limiter.ts';
export {
  createReadThroughCache,
  type ReadThroughCache,
  type ReadThroughCacheOptions,
} from './read-through-cache.ts';
export type { RedisCacheOptions } from './redis-cache.ts';
