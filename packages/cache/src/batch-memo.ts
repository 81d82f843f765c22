/**
 * The answers of a lookup by ids (ids in, the found ones out), kept in this instance's memory for
 * `ttlMs` per id: for facts that change seldom and are asked for often (a club's time zone, its
 * coordinates). An id the lookup did not find is not remembered, so what was created a moment ago
 * is found on the next call; `forget(id)` drops one at once (when its change is announced), and a
 * lookup already under way then answers its caller but is not kept (it may have read the value
 * before the change). With `ttlMs` 0 nothing is kept.
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
  // How often each id was forgotten (ids that never were are absent): one number per id ever
  // forgotten, clubs here, few.
  const forgets = new Map<string, number>();
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
      const before = new Map(missing.map((id) => [id, forgets.get(id) ?? 0]));
      for (const [id, value] of await lookup(missing)) {
        found.set(id, value);
        const current = (forgets.get(id) ?? 0) === before.get(id);
        if (options.ttlMs > 0 && current) entries.set(id, { value, until: at + options.ttlMs });
      }
      return found;
    },
    forget(id) {
      entries.delete(id);
      forgets.set(id, (forgets.get(id) ?? 0) + 1);
    },
  };
}
