/** The cache port. In-memory LRU by default; Redis with `REDIS_URL`. Values are strings. */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds `by` to a counter, creating it with `ttlSeconds` if absent; returns the new
   *  value and the seconds left before it expires. The building block of rate limits. */
  increment(key: string, ttlSeconds: number, by?: number): Promise<{ value: number; ttlSeconds: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
