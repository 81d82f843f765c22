import { type Bus, type EventEnvelope, idempotent, type Subscription } from '@clubland/bus';
import { userRegistered, userRoleGranted, userRoleRevoked } from '@clubland/contract/events/auth';
import {
  memberCreated,
  memberErased,
  memberStatusChanged,
  memberUpdated,
} from '@clubland/contract/events/member';
import type { Tx } from '@clubland/db';
import type { Logger } from 'pino';
import type { ClubBranding } from '../domain/email-layout.ts';
import { NOTIFYING_EVENT_TYPES, type NotificationPlan, planNotifications } from '../domain/event-rules.ts';
import { createRecipientQueries } from '../store/recipient-queries.ts';
import { createNotifications } from './create-notifications.ts';
import { NOTIFICATION_SCHEMA, type NotificationDeps, type UseCaseContext } from './deps.ts';
import type { MemberContact, MemberContacts } from './member-contacts.ts';
import { brandsFor, noticesFromPlans } from './planned-notices.ts';

const CONSUMER = 'notification-domain-events';

/** The events keepPeople reads, whether or not they cause a notice. */
const PEOPLE_EVENT_TYPES = new Set([
  userRegistered.type,
  userRoleGranted.type,
  userRoleRevoked.type,
  memberCreated.type,
  memberUpdated.type,
  memberStatusChanged.type,
  memberErased.type,
]);

const TYPES = [...new Set([...NOTIFYING_EVENT_TYPES, ...PEOPLE_EVENT_TYPES])];

interface Planned {
  plans: NotificationPlan[];
  brands: Map<string, ClubBranding | null>;
}

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
  log?: Logger,
): Promise<Subscription> {
  // Events whose notices were written: the relay and the delivery loop are woken once they commit.
  const wrote = new Set<string>();
  const warn = (message: string, detail: Record<string, unknown>) => log?.warn(detail, message);
  // Each delivery of an event gets its own plan (asked before its transaction opens).
  const applyWith = (plan: Planned | null, contact: MemberContact | null) =>
    idempotent({
      db: deps.db,
      schema: NOTIFICATION_SCHEMA,
      consumer: CONSUMER,
      tenant: () => null,
      handle: async (tx, event) => {
        await keepPeople(tx, event, world.clock(), contact);
        const notices = plan ? await noticesFromPlans(tx, event.type, plan.plans, plan.brands, warn) : [];
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
        const plans = planNotifications(event);
        let plan: Planned | null = null;
        if (!plans.ok) {
          // Data that does not match its schema: a redelivery would not mend it.
          warn('an event does not match its schema; no notification', {
            eventId: event.id,
            type: event.type,
          });
        } else if (plans.value.length > 0) {
          plan = { plans: plans.value, brands: await brandsFor(plans.value, deps.clubs) };
        }
        const contact = await contactAfter(event, deps.contacts);
        // Most events this consumer hears change nothing here (a ledger entry confirmed, a visit
        // checked out): no transaction for them, and nothing to remember, since applying them twice
        // changes nothing twice. The front desk's check-ins send several such events each.
        if (plan === null && !keepsPeople(event)) return;
        await applyWith(plan, contact)(event);
      } finally {
        if (wrote.delete(event.id)) {
          deps.eventsWritten();
          deps.deliveriesWritten();
        }
      }
    },
  });
}

/**
 * The member's phone and language when a record is created or either changes, asked of the member
 * service before the event's transaction opens (events carry no profile values).
 */
async function contactAfter(event: EventEnvelope, contacts: MemberContacts): Promise<MemberContact | null> {
  if (memberCreated.is(event)) {
    const { data } = memberCreated.parse(event);
    return data.userId ? contacts.contactOf(data.clubId, data.memberId) : null;
  }
  if (memberUpdated.is(event)) {
    const { data } = memberUpdated.parse(event);
    const touched = data.fields.some((field) => field === 'phone' || field.startsWith('preferences'));
    return touched ? contacts.contactOf(data.clubId, data.memberId) : null;
  }
  return null;
}

function keepsPeople(event: EventEnvelope): boolean {
  return PEOPLE_EVENT_TYPES.has(event.type);
}

async function keepPeople(
  tx: Tx,
  event: EventEnvelope,
  now: Date,
  contact: MemberContact | null,
): Promise<void> {
  const people = createRecipientQueries(tx);
  if (contact?.userId) {
    await people.saveContact({
      userId: contact.userId,
      phone: contact.smsNumber,
      locale: contact.locale,
      now,
    });
  }
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
    if (data.userId) {
      await people.forgetNoticesOf(data.clubId, data.userId);
      await people.forgetContact(data.userId, now);
    }
  }
}
