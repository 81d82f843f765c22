/**
 * The answers of a lookup by ids (ids in, the found ones out), kept in this instance's memory for
 * `ttlMs` per id: for facts that change seldom and are asked for often (a club's time zone, its
 * coordinates). An id the lookup did not find is not remembered, so what was created a moment ago
 * is found on the next call; `forget(id)` drops one at once (when its change is announced). With
 * `ttlMs` 0 nothing is kept.
 */
export interface BatchMemo<T> {
  get(ids: readonly string[]): Promise<Map<string, T>>;
  forget(id: string): void;
}

export function memoizeBatch<T>(
  lookup: (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>,
  options: { ttlMs: number; now?: () => number },
): BatchMemo<T> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T; until: number }>();
  return {
    async get(ids) {
      const found = new Map<string, T>();
      const missing: string[] = [];
      const at = now();
      for (const id of ids) {
        const entry = entries.get(id);
        if (entry && entry.until > at) found.set(id, entry.value);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      for (const [id, value] of await lookup(missing)) {
        found.set(id, value);
        if (options.ttlMs > 0) entries.set(id, { value, until: at + options.ttlMs });
      }
      return found;
    },
    forget(id) {
      entries.delete(id);
    },
  };
}
