/**
 * Gathers the items that arrive in one turn of the event loop (a subscription running many handlers
 * at once hands over a burst of events together) and hands them to `flush` as one batch: one
 * transaction for many events instead of one each. Every `add` resolves when its item has been
 * flushed, or rejects with the error that item met, so the bus acknowledges or redelivers each
 * event as its own: when a batch of several fails, its items are flushed again one by one, and
 * only those that fail alone are rejected (one bad event does not take a burst of good ones with
 * it, to redeliveries and dead letters). A consumer using it must be idempotent, as every consumer
 * is. A batch holds at most `maxBatch` items (default: unbounded, the subscription's concurrency
 * bounds it).
 */
export function createBatcher<T>(options: {
  flush: (items: readonly T[]) => Promise<unknown>;
  maxBatch?: number;
}): (item: T) => Promise<void> {
  const maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
  let batch: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  // A flush that throws before returning its promise fails like one that rejects.
  const attempt = (items: readonly T[]) => Promise.resolve().then(() => options.flush(items));
  const flush = () => {
    const taken = batch;
    batch = [];
    if (taken.length === 0) return;
    attempt(taken.map(({ item }) => item)).then(
      () => {
        for (const { resolve } of taken) resolve();
      },
      (error: unknown) => {
        if (taken.length === 1) {
          taken[0]!.reject(error);
          return;
        }
        for (const { item, resolve, reject } of taken) attempt([item]).then(resolve, reject);
      },
    );
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      batch.push({ item, resolve: () => resolve(), reject });
      if (batch.length >= maxBatch) flush();
      else if (batch.length === 1) setImmediate(flush);
    });
}
