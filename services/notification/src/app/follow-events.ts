import { type Bus, type EventEnvelope, idempotent, type Subscription } from '@clubland/bus';
import { userRegistered, userRoleGranted, userRoleRevoked } from '@clubland/contract/events/auth';
import { memberCreated, memberErased, memberStatusChanged } from '@clubland/contract/events/member';
import type { Tx } from '@clubland/db';
import { createRecipientQueries } from '../store/recipient-queries.ts';
import { createNotifications } from './create-notifications.ts';
import { NOTIFICATION_SCHEMA, type NotificationDeps, type UseCaseContext } from './deps.ts';
import { NOTICE_EVENT_TYPES, noticesOf } from './event-notices.ts';

const CONSUMER = 'notification-domain-events';

const TYPES = [
  ...new Set([...NOTICE_EVENT_TYPES, userRoleRevoked.type, memberCreated.type, memberErased.type]),
];

/**
 * Other services' events, each applied once (processed_events, in the same transaction as its
 * effect): the people read models (addresses, clubs' members, clubs' admins) are kept, and the
 * notices the event causes are stored with their deliveries. The unique (source event, person)
 * index makes a notice exactly-once even were the marker lost. Network transaction: one event may
 * concern two clubs (a visit, an agreement).
 */
export function followDomainEvents(
  deps: NotificationDeps,
  bus: Bus,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): Promise<Subscription> {
  // Events whose notices were written: the relay and the delivery loop are woken once they commit.
  const wrote = new Set<string>();
  const apply = idempotent({
    db: deps.db,
    schema: NOTIFICATION_SCHEMA,
    consumer: CONSUMER,
    tenant: () => null,
    handle: async (tx, event) => {
      await keepPeople(tx, event, world.clock());
      const recipients = createRecipientQueries(tx);
      const notices = await noticesOf(event, (clubIds) => recipients.adminsOf(clubIds));
      const context = { ...world, correlationId: event.correlationId };
      const written = await createNotifications(tx, deps, context, notices);
      if (written.length > 0) wrote.add(event.id);
    },
  });
  return bus.subscribe({
    consumer: CONSUMER,
    types: TYPES,
    handler: async (event) => {
      try {
        await apply(event);
      } finally {
        if (wrote.delete(event.id)) {
          deps.eventsWritten();
          deps.deliveriesWritten();
        }
      }
    },
  });
}

async function keepPeople(tx: Tx, event: EventEnvelope, now: Date): Promise<void> {
  const people = createRecipientQueries(tx);
  if (userRegistered.is(event)) {
    const { data } = userRegistered.parse(event);
    await people.saveRecipient({
      userId: data.userId,
      homeClubId: data.clubId,
      email: data.email,
      firstName: data.firstName,
      lastName: data.lastName,
      now,
    });
  } else if (userRoleGranted.is(event)) {
    const { data } = userRoleGranted.parse(event);
    if (data.clubId && (data.role === 'STAFF' || data.role === 'CLUB_ADMIN'))
      await people.grantRole(data.clubId, data.userId, data.role);
  } else if (userRoleRevoked.is(event)) {
    const { data } = userRoleRevoked.parse(event);
    if (data.clubId && (data.role === 'STAFF' || data.role === 'CLUB_ADMIN'))
      await people.revokeRole(data.clubId, data.userId, data.role);
  } else if (memberCreated.is(event)) {
    const { data } = memberCreated.parse(event);
    await people.saveMember({
      memberId: data.memberId,
      clubId: data.clubId,
      userId: data.userId,
      status: data.status,
      now,
    });
  } else if (memberStatusChanged.is(event)) {
    const { data } = memberStatusChanged.parse(event);
    await people.saveMember({
      memberId: data.memberId,
      clubId: data.clubId,
      userId: data.userId ?? null,
      status: data.to,
      now,
    });
  } else if (memberErased.is(event)) {
    const { data } = memberErased.parse(event);
    await people.forgetMember(data.memberId);
    // The club's notices to the person may carry their name: erased with the record (deliveries follow).
    if (data.userId) await people.forgetNoticesOf(data.clubId, data.userId);
  }
}
