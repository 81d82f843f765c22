import { randomUUID } from 'node:crypto';
import type { Bus, Subscription } from '@clubland/bus';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import type { Client } from '@connectrpc/connect';
import type { FastifyInstance } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import { toGraphql } from './resolvers/clubs.ts';

const CLUB_CREATED = 'club.created';

/**
 * Domain events become GraphQL subscription messages: this gateway instance consumes the bus
 * with a consumer of its own (every instance serves its own sockets) and publishes each event
 * once to the in-process pubsub, which fans it out to the matching subscribers.
 */
export function feedSubscriptionsFromBus(
  app: FastifyInstance,
  bus: Bus,
  clubRegistry: Client<typeof ClubRegistryService>,
): void {
  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    subscription = await bus.subscribe({
      consumer: `gateway-${randomUUID()}`,
      perInstance: true,
      types: [CLUB_CREATED],
      handler: async (event) => {
        const { clubId } = event.data as { clubId: string };
        const { club } = await clubRegistry.getClub({ id: clubId });
        if (!club) return;
        await app.graphql.pubsub.publish({ topic: CLUB_CREATED, payload: { clubCreated: toGraphql(club) } });
      },
    });
  });
  app.addHook('onClose', async () => {
    await subscription?.close();
  });
}

export const subscriptionResolvers = {
  Subscription: {
    clubCreated: {
      async subscribe(_root: unknown, _args: unknown, { caller, pubsub }: MercuriusContext) {
        await caller.requirePrincipal();
        return pubsub.subscribe(CLUB_CREATED);
      },
    },
  },
};
