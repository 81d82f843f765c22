import type { AuthzChange } from '@clubland/authz';
import { type Bus, type EventEnvelope, idempotent, type Subscription } from '@clubland/bus';
import { memberErased } from '@clubland/contract/events/member';
import type { Tx } from '@clubland/db';
import { closedAccountEmail, erasureOutcome } from '../domain/account-closure.ts';
import { createAccountClosureQueries } from '../store/account-closure-queries.ts';
import { createMembershipQueries } from '../store/membership-queries.ts';
import { createSessionQueries } from '../store/session-queries.ts';
import { audit } from './audit.ts';
import { AUTH_SCHEMA, type AuthDeps } from './deps.ts';
import { announceAuthzChanges, announceRevokedSessions, countAuthzChange } from './revocation.ts';
import { forgetViews } from './user-view-cache.ts';

const CONSUMER = 'auth-member-erasure';

/** No request behind an event: the audit entry has no address or browser. */
const NO_REQUEST = { accessToken: '', ip: '', userAgent: '' };

interface Applied {
  changes: AuthzChange[];
  revokedSessions: string[];
}

/**
 * Erasure is a network-wide fact: when the member service erases a member record linked to an
 * account (member.erased), the account loses that club's tie, and is closed when it has no other
 * (domain/account-closure.ts). Sessions end and tokens are refused at once (announced after the
 * commit, as logout and role changes are). Each event takes effect once (processed_events), and
 * an erasure already applied (the account closed, or the record already erased) changes nothing.
 */
export function followMemberErasures(deps: AuthDeps, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: CONSUMER,
    types: [memberErased.type],
    handler: async (event) => {
      const applied: Applied = { changes: [], revokedSessions: [] };
      await idempotent({
        db: deps.db,
        schema: AUTH_SCHEMA,
        consumer: CONSUMER,
        // auth's tables are network-wide, and the account's ties span clubs: a network transaction.
        tenant: () => null,
        handle: async (tx, delivered) => {
          Object.assign(applied, await applyErasure(tx, delivered, deps.clock()));
        },
      })(event);
      await announceRevokedSessions(deps, applied.revokedSessions);
      await announceAuthzChanges(deps, applied.changes);
      await forgetViews(
        deps,
        applied.changes.map((change) => change.userId),
      );
    },
  });
}

/** Applies one member.erased event to the account it names, in the consumer's transaction. */
export async function applyErasure(tx: Tx, event: EventEnvelope, now: Date): Promise<Applied> {
  const nothing: Applied = { changes: [], revokedSessions: [] };
  if (!memberErased.is(event)) return nothing;
  const { data } = memberErased.parse(event);
  // Events written before they named the account: the record's account, if an earlier event said.
  const userId =
    data.userId === undefined ? await createMembershipQueries(tx).userOf(data.memberId) : data.userId;
  if (userId === null) return nothing;
  const closure = createAccountClosureQueries(tx);
  const account = await closure.lockAccount(userId);
  if (!account || account.closedAt !== null) return nothing;

  const isRecordNew = await closure.markRecordErased({
    memberId: data.memberId,
    userId,
    clubId: data.clubId,
    at: new Date(event.occurredAt),
  });
  const isRoleDropped = await closure.revokeMemberRoleAt(userId, data.clubId, now);
  if (!isRecordNew && !isRoleDropped) return nothing;

  const outcome = erasureOutcome(data.clubId, {
    grants: await closure.heldRoles(userId),
    otherRecordClubIds: await closure.otherRecordClubIds(userId, data.memberId),
  });
  let revokedSessions: string[] = [];
  if (outcome === 'account_closed') {
    revokedSessions = await createSessionQueries(tx).revokeAllSessions(userId, 'account_closed', now);
    await closure.close({ userId, formerEmail: account.email, email: closedAccountEmail(userId), now });
  }
  // Ids and counts only: the audit log never holds the erased person's data.
  await audit(tx, {
    userId,
    event: 'member.erased',
    meta: NO_REQUEST,
    details: {
      memberId: data.memberId,
      clubId: data.clubId,
      outcome,
      sessionsEnded: revokedSessions.length,
      eventId: event.id,
    },
    at: now,
  });
  return { changes: await countAuthzChange(tx, userId), revokedSessions };
}
