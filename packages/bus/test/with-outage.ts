import { ClubError } from '@clubland/errors';
import type { Bus } from '../src/index.ts';

/**
 * FAULT INJECTION for tests: wraps a real bus so `publish` fails while "down", as a NATS
 * outage looks to the outbox relay. Subscriptions pass through untouched.
 */
export function withOutage(bus: Bus): { bus: Bus; goDown(): void; comeBack(): void } {
  let isDown = false;
  const unreachable = () => new ClubError('dependency.unavailable', 'bus unreachable (injected outage)');
  return {
    bus: {
      kind: bus.kind,
      async publish(events) {
        if (isDown) throw unreachable();
        await bus.publish(events);
      },
      subscribe: (options) => bus.subscribe(options),
      async ping() {
        if (isDown) throw unreachable();
        await bus.ping();
      },
      stats: () => bus.stats(),
      close: () => bus.close(),
    },
    goDown() {
      isDown = true;
    },
    comeBack() {
      isDown = false;
    },
  };
}
