import type { Bus, Subscription } from './bus.ts';

/**
 * Keeps a process's cache honest across instances: every instance's copy must hear every write's
 * event, so the consumer is this process's own (`perInstance`, named `${name}-${instanceId}`), and
 * `forget` drops whatever the event's data names. The caches' TTLs bound staleness should an event
 * be lost; where the cache's owner writes the data itself, it also forgets at once after its
 * commit, without waiting for its own event.
 */
export function forgetOnEvents(
  bus: Bus,
  options: {
    /** The cache's name, the consumer's prefix: `member-cache`, `facility-days`, ... */
    name: string;
    instanceId: string;
    types: readonly string[];
    forget: (data: Readonly<Record<string, unknown>>) => void;
  },
): Promise<Subscription> {
  return bus.subscribe({
    consumer: `${options.name}-${options.instanceId}`,
    perInstance: true,
    types: options.types,
    handler: async (event) => {
      if (typeof event.data === 'object' && event.data !== null)
        options.forget(event.data as Readonly<Record<string, unknown>>);
    },
  });
}
