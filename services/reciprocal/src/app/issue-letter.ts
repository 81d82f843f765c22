import { authorize, can, type Principal } from '@clubland/authz';
import { type Db, SQL_STATE, sqlStateOf, type Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkTrip, type LetterDelivery, todayIn } from '../domain/letter-lifecycle.ts';
import { createAgreementQueries } from '../store/agreement-queries.ts';
import { createLetterQueries, type LetterRow } from '../store/letter-queries.ts';
import { deliverLetter, letterCode } from './deliver-letter.ts';
import type { ClubFact, MemberFact, ReciprocalDeps, UseCaseContext } from './deps.ts';
import { recordLetterChange } from './letter-record.ts';

export const DELIVERIES: readonly LetterDelivery[] = ['EMAIL', 'QR_CODE', 'API', 'ALL'];

export interface IssueLetterInput {
  homeClubId: string;
  memberId: string;
  hostClubId: string;
  arrivesOn: string;
  departsOn: string;
  purpose: string;
  guestCount: number;
  delivery: LetterDelivery;
}

export interface IssuedLetter {
  letter: LetterRow;
  ledgerTxId: string;
  /** For QR_CODE and ALL deliveries (deliver-letter.ts); null otherwise. */
  code: string | null;
}

/**
 * Issues a letter of introduction, PENDING until the host decides. Who: the home club's staff
 * (visit:manage) for any member of theirs, or a member for themselves (visit:request): the app's
 * issueLOI is a member's request, and the host's approval is the check that matters either way.
 * The member must be ACTIVE as the member service answers the caller (its own rules: staff read
 * their roster, a member only their own record, so a member cannot ask for someone else). The
 * trip is checked against the agreement in force, if any. One transaction writes the letter, its
 * history, its ledger entry and `letter.status_changed`; the partial unique index keeps one open
 * letter per member and host, even for two requests at once. Delivery follows the commit.
 */
export async function issueLetter(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: IssueLetterInput,
): Promise<IssuedLetter> {
  const principal = context.principal;
  if (!can(principal, 'visit:manage', input.homeClubId))
    authorize(principal, 'visit:request', input.homeClubId);
  const now = context.clock();
  const { member, clubs, today } = await prepareTrip(deps, principal!, input, now);

  const issued = await insertMapped(deps.db, input.homeClubId, async (tx) => {
    const letter = await writeLetter(tx, context, principal!, member, input, today, now, null);
    return { letter, ...(await recordLetterChange(tx, context, letter, fromIssue(principal!, letter))) };
  });
  deps.eventsWritten();
  await deliverLetter(deps, issued.letter, member, clubs);
  return { letter: issued.letter, ledgerTxId: issued.ledgerTxId, code: letterCode(issued.letter) };
}

/**
 * What issuing (or reissuing) needs before its transaction: the member, ACTIVE, as the member
 * service answers the caller; both clubs, ACTIVE; today in the host's calendar.
 */
export async function prepareTrip(
  deps: ReciprocalDeps,
  principal: Principal,
  input: Pick<IssueLetterInput, 'homeClubId' | 'hostClubId' | 'memberId'>,
  now: Date,
): Promise<{ member: MemberFact; clubs: Map<string, ClubFact>; today: string }> {
  if (input.hostClubId === input.homeClubId)
    throw invalidInput('hostClubId', 'a letter introduces a member to another club than their own');
  const member = await deps.members.find(principal, input.homeClubId, input.memberId);
  // A member asking for themselves: the member service shows them only their own record anyway.
  if (!member || (!can(principal, 'visit:manage', input.homeClubId) && member.userId !== principal.userId))
    throw notFound('member', input.memberId);
  if (member.status !== 'ACTIVE')
    throw new ClubError(
      'letter.member_not_active',
      `letters are issued for ACTIVE members; this one is ${member.status}`,
    );
  const clubs = await deps.clubs.describe([input.homeClubId, input.hostClubId]);
  const host = clubs.get(input.hostClubId);
  if (!host) throw invalidInput('hostClubId', 'no club has this id');
  for (const club of [clubs.get(input.homeClubId), host]) {
    if (club && club.status !== 'ACTIVE')
      throw new ClubError('letter.club_not_active', `${club.name} is ${club.status}`, { clubId: club.id });
  }
  return { member, clubs, today: todayIn(host.timezone, now) };
}

/** Checks the trip against the agreement in force (read in `tx`) and inserts the PENDING letter. */
export async function writeLetter(
  tx: Tx,
  context: UseCaseContext,
  principal: Principal,
  member: MemberFact,
  input: IssueLetterInput,
  today: string,
  now: Date,
  replacesId: string | null,
): Promise<LetterRow> {
  if (!DELIVERIES.includes(input.delivery))
    throw invalidInput('delivery', `delivery must be one of ${DELIVERIES.join(', ')}`);
  const live = await createAgreementQueries(tx).findLiveBetween(input.homeClubId, input.hostClubId);
  const agreement = live?.status === 'ACTIVE' ? live : null;
  const trip = checkTrip(input, today, agreement?.terms ?? null);
  if (!trip.ok) throw invalidInput(trip.field, trip.message);
  const letter: LetterRow = {
    id: context.newId(),
    homeClubId: input.homeClubId,
    hostClubId: input.hostClubId,
    memberId: member.id,
    memberUserId: member.userId,
    agreementId: agreement?.id ?? null,
    arrivesOn: input.arrivesOn,
    departsOn: input.departsOn,
    purpose: trip.purpose,
    guestCount: input.guestCount,
    delivery: input.delivery,
    status: 'PENDING',
    replacesId,
    issuedBy: principal.userId,
    decidedBy: null,
    decidedAt: null,
    statusReason: null,
    usedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await createLetterQueries(tx).insert(letter);
  return letter;
}

export function fromIssue(principal: Principal, letter: LetterRow) {
  return { from: null, reason: null, changedBy: principal.userId, actingClubId: letter.homeClubId };
}

/** Runs a home club's transaction that inserts a letter; the one-open-letter index's refusal is a CONFLICT. */
export async function insertMapped<T>(db: Db, homeClubId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.withTenant(homeClubId, fn);
  } catch (error) {
    if (sqlStateOf(error) === SQL_STATE.uniqueViolation) {
      throw new ClubError(
        'letter.already_open',
        'the member already holds an open letter for this club: revoke or reissue it',
        {},
        error,
      );
    }
    throw error;
  }
}
