import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, EventEnvelope, Subscription } from '../src/index.ts';
import { sleep, uniqueToken, waitFor } from './wait-for.ts';

export interface BusUnderTest {
  bus: Bus;
  /** The same bus as another process sees it (a second connection; the same instance in-process). */
  peer(): Promise<Bus>;
  close(): Promise<void>;
}

/**
 * The Bus port's contract. Every adapter runs it; each test uses fresh type and consumer names,
 * so runs against a shared server do not see each other's events.
 */
export function busContract(adapter: string, open: () => Promise<BusUnderTest>): void {
  describe(`Bus contract: ${adapter}`, () => {
    let subject: BusUnderTest;
    let bus: Bus;
    let subscriptions: Subscription[];
    let types: (verb: string) => string;
    let consumer: (name: string) => string;

    beforeEach(async () => {
      subject = await open();
      bus = subject.bus;
      subscriptions = [];
      const token = uniqueToken();
      types = (verb) => `t${token}.${verb}`;
      consumer = (name) => `${name}-${token}`;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
      await subject.close();
    });

    function envelope(type: string, data: unknown = { n: 1 }): EventEnvelope {
      return {
        id: randomUUID(),
        type,
        version: 1,
        tenantId: randomUUID(),
        occurredAt: new Date().toISOString(),
        correlationId: `corr-${uniqueToken()}`,
        data,
      };
    }

    async function collect(
      on: Bus,
      name: string,
      subscribed: string[],
      options: { maxDeliveries?: number } = {},
    ) {
      const seen: EventEnvelope[] = [];
      const subscription = await on.subscribe({
        consumer: consumer(name),
        types: subscribed,
        handler: async (event) => {
          seen.push(event);
        },
        ...options,
      });
      subscriptions.push(subscription);
      return seen;
    }

    it('delivers a published event with its envelope intact', async () => {
      const seen = await collect(bus, 'intact', [types('created')]);
      const event = envelope(types('created'), {
        clubId: randomUUID(),
        name: 'Athenaeum',
        nested: { a: [1, 'x'] },
      });
      await bus.publish([event]);
      await waitFor(() => seen.length === 1, 10_000, 'the event');
      expect(seen[0]).toEqual(event);
    });

    it('delivers only the types a consumer subscribed to, wildcards included', async () => {
      const exact = await collect(bus, 'exact', [types('created')]);
      const several = await collect(bus, 'several', [types('created'), types('closed')]);
      const wildcard = await collect(bus, 'wildcard', [`${types('x').split('.')[0]}.*`]);
      const events = [envelope(types('created')), envelope(types('updated')), envelope(types('closed'))];
      await bus.publish(events);
      await waitFor(() => wildcard.length === 3 && several.length === 2 && exact.length === 1, 10_000, 'all');
      await sleep(200);
      expect(exact.map((e) => e.type)).toEqual([types('created')]);
      expect(several.map((e) => e.type).sort()).toEqual([types('closed'), types('created')].sort());
      expect(wildcard.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('gives each event once to a consumer name shared by two subscriptions (queue group)', async () => {
      const type = types('shared');
      const first: string[] = [];
      const second: string[] = [];
      const subscribeAs = async (on: Bus, into: string[]) => {
        subscriptions.push(
          await on.subscribe({
            consumer: consumer('workers'),
            types: [type],
            handler: async (event) => {
              into.push(event.id);
              await sleep(1);
            },
          }),
        );
      };
      await subscribeAs(bus, first);
      await subscribeAs(await subject.peer(), second);
      const events = Array.from({ length: 200 }, () => envelope(type));
      await bus.publish(events);
      await waitFor(() => first.length + second.length >= events.length, 15_000, 'every event');
      await sleep(300);
      const handled = [...first, ...second];
      expect(handled).toHaveLength(events.length);
      expect(new Set(handled)).toEqual(new Set(events.map((e) => e.id)));
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
    });

    it('gives every event to each of two consumer names', async () => {
      const type = types('fanned');
      const analytics = await collect(bus, 'analytics', [type]);
      const notifications = await collect(await subject.peer(), 'notifications', [type]);
      const events = Array.from({ length: 50 }, () => envelope(type));
      await bus.publish(events);
      await waitFor(() => analytics.length === 50 && notifications.length === 50, 10_000, 'both consumers');
      expect(analytics.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(notifications.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('starts a new consumer name from new events, and resumes a known one where it stopped', async () => {
      const type = types('resumed');
      const before = envelope(type);
      await bus.publish([before]);
      const seen: string[] = [];
      const subscribe = () =>
        bus.subscribe({
          consumer: consumer('resumer'),
          types: [type],
          handler: async (e) => void seen.push(e.id),
        });
      const firstRun = await subscribe();
      const during = envelope(type);
      await bus.publish([during]);
      await waitFor(() => seen.length === 1, 10_000, 'the event published while subscribed');
      await firstRun.close();
      const whileAway = envelope(type);
      await bus.publish([whileAway]);
      subscriptions.push(await subscribe());
      await waitFor(() => seen.length === 2, 10_000, 'the event published while away');
      await sleep(200);
      expect(seen).toEqual([during.id, whileAway.id]);
    });

    it('redelivers an event whose handler threw, with doubling delays, until it succeeds', async () => {
      const type = types('flaky');
      const attempts: number[] = [];
      subscriptions.push(
        await bus.subscribe({
          consumer: consumer('flaky'),
          types: [type],
          retryDelayMs: 150,
          handler: async () => {
            attempts.push(Date.now());
            if (attempts.length < 3) throw new Error('not yet');
          },
        }),
      );
      const event = envelope(type);
      await bus.publish([event]);
      await waitFor(() => attempts.length === 3, 10_000, 'the third delivery');
      const [first = 0, second = 0, third = 0] = attempts;
      expect(second - first).toBeGreaterThanOrEqual(140);
      expect(third - second).toBeGreaterThanOrEqual(280);
      // Acked once it succeeded: no further delivery.
      await sleep(1_000);
      expect(attempts).toHaveLength(3);
      expect(bus.stats().redelivered).toBeGreaterThanOrEqual(2);
    });

    it('stops redelivering after maxDeliveries and counts a dead letter', async () => {
      const type = types('poison');
      let calls = 0;
      subscriptions.push(
        await bus.subscribe({
          consumer: consumer('poison'),
          types: [type],
          retryDelayMs: 50,
          maxDeliveries: 3,
          handler: async () => {
            calls++;
            throw new Error('always fails');
          },
        }),
      );
      await bus.publish([envelope(type)]);
      await waitFor(() => bus.stats().deadLettered === 1, 10_000, 'the dead letter');
      await sleep(800);
      expect(calls).toBe(3);
    });

    it('lets in-flight handlers finish when a subscription closes', async () => {
      const type = types('slow');
      let finished = 0;
      let started = 0;
      const subscription = await bus.subscribe({
        consumer: consumer('slow'),
        types: [type],
        handler: async () => {
          started++;
          await sleep(200);
          finished++;
        },
      });
      await bus.publish([envelope(type)]);
      await waitFor(() => started === 1, 10_000, 'the handler to start');
      await subscription.close();
      expect(finished).toBe(1);
    });
  });
}
