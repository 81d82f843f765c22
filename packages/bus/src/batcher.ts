/**
 * Gathers the items that arrive in one turn of the event loop (a subscription running many handlers
 * at once hands over a burst of events together) and hands them to `flush` as one batch: one
 * transaction for many events instead of one each. Every `add` resolves when its batch has been
 * flushed, or rejects with the batch's error, so the bus acknowledges or redelivers each event as
 * its own; a consumer using it must be idempotent, as every consumer is. A batch holds at most
 * `maxBatch` items (default: unbounded, the subscription's concurrency bounds it).
 */
export function createBatcher<T>(options: {
  flush: (items: readonly T[]) => Promise<unknown>;
  maxBatch?: number;
}): (item: T) => Promise<void> {
  const maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
  let batch: { item: T; done: (error?: unknown) => void }[] = [];
  const flush = () => {
    const taken = batch;
    batch = [];
    if (taken.length === 0) return;
    options.flush(taken.map(({ item }) => item)).then(
      () => {
        for (const { done } of taken) done();
      },
      (error: unknown) => {
        for (const { done } of taken) done(error);
      },
    );
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      batch.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (batch.length >= maxBatch) flush();
      else if (batch.length === 1) setImmediate(flush);
    });
}
