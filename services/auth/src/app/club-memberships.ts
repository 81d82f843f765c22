import type { AuthzChange } from '@clubland/authz';
import { type Bus, type EventEnvelope, idempotent, type Subscription } from '@clubland/bus';
import { memberCreated, memberStatusChanged } from '@clubland/contract/events/member';
import type { Tx } from '@clubland/db';
import { createMembershipQueries, type MembershipChange } from '../store/membership-queries.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { AUTH_SCHEMA, type AuthDeps } from './deps.ts';
import { announceAuthzChanges, countIfGrantsChanged } from './revocation.ts';
import { forgetViews } from './user-view-cache.ts';

const CONSUMER = 'auth-club-memberships';

/**
 * Follows the member service's records of accounts (member.created, member.status_changed), so a
 * MEMBER grant comes into force once the club activates the account's record there, and is
 * withheld while that record is suspended, expired or ended (domain/member-standing.ts). When that changes, the account's authorisation version is counted
 * in the same transaction and announced after it: the account's tokens are refused at once, and
 * the refreshed one carries the grants in force. Each event takes effect once (processed_events).
 */
export function followClubMemberships(deps: AuthDeps, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: CONSUMER,
    types: [memberCreated.type, memberStatusChanged.type],
    handler: async (event) => {
      const changes: AuthzChange[] = [];
      await idempotent({
        db: deps.db,
        schema: AUTH_SCHEMA,
        consumer: CONSUMER,
        // auth's tables are network-wide (no row-level security): a plain transaction.
        tenant: () => null,
        handle: async (tx, delivered) => {
          changes.push(...(await recordMembership(tx, delivered)));
        },
      })(event);
      await announceAuthzChanges(deps, changes);
      await forgetViews(
        deps,
        changes.map((change) => change.userId),
      );
    },
  });
}

/** Records one event's membership change; the accounts whose grants in force changed, counted. */
export async function recordMembership(tx: Tx, event: EventEnvelope): Promise<AuthzChange[]> {
  const memberships = createMembershipQueries(tx);
  const change = await membershipChangeOf(event, memberships.userOf);
  if (change === null) return [];
  const before = await createRoleQueries(tx).activeGrants(change.userId);
  if (!(await memberships.record(change))) return [];
  return countIfGrantsChanged(tx, change.userId, before);
}

async function membershipChangeOf(
  event: EventEnvelope,
  userOf: (memberId: string) => Promise<string | null>,
): Promise<MembershipChange | null> {
  const changedAt = new Date(event.occurredAt);
  if (memberCreated.is(event)) {
    const { data } = memberCreated.parse(event);
    if (data.userId === null) return null;
    return {
      memberId: data.memberId,
      userId: data.userId,
      clubId: data.clubId,
      status: data.status,
      changedAt,
    };
  }
  if (memberStatusChanged.is(event)) {
    const { data } = memberStatusChanged.parse(event);
    // Events written before they named the account: the record's account, if an earlier event said.
    const userId = data.userId === undefined ? await userOf(data.memberId) : data.userId;
    if (userId === null) return null;
    return { memberId: data.memberId, userId, clubId: data.clubId, status: data.to, changedAt };
  }
  return null;
}
