import type { Cache } from '@clubland/cache';
import { LRUCache } from 'lru-cache';
import mercurius, { type PersistedQueryProvider } from 'mercurius';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Automatic persisted queries (Apollo's protocol): a client sends `extensions.persistedQuery.sha256Hash`
 * alone; on PERSISTED_QUERY_NOT_FOUND it sends the query once with the hash, and from then on the
 * hash is enough. Queries are kept in the cache (Redis when configured, so every gateway instance
 * knows them) for `ttlSeconds`, with a small LRU in front. Only a query that executed is saved, and
 * only under the hash it actually has.
 */
export function automaticPersistedQueries(
  cache: Cache,
  options: { ttlSeconds?: number; localEntries?: number } = {},
): PersistedQueryProvider {
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const local = new LRUCache<string, string>({ max: options.localEntries ?? 1000 });
  // mercurius is CommonJS: its helpers hang off the default export.
  const protocol = mercurius.persistedQueryDefaults.automatic(1);
  const key = (hash: string) => `apq:${hash}`;
  return {
    ...protocol,
    getHash(request) {
      const hash = protocol.getHash(request);
      // Anything else never becomes a cache key.
      return typeof hash === 'string' && SHA256_HEX.test(hash) ? hash : '';
    },
    async getQueryFromHash(hash) {
      const known = local.get(hash);
      if (known !== undefined) return known;
      const stored = await cache.get(key(hash));
      if (stored !== null) local.set(hash, stored);
      return stored ?? undefined;
    },
    async saveQuery(hash, query) {
      local.set(hash, query);
      await cache.set(key(hash), query, ttlSeconds);
    },
  };
}
