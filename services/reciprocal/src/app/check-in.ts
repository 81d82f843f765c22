import { authorize, type Principal } from '@clubland/authz';
import { type Queryable, SQL_STATE, sqlStateOf } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import { checkVisit, dayIn, periodsOf, type RefusalReason } from '../domain/visit-rules.ts';
import { visitTransitionEvent } from '../events/builders.ts';
import { type AgreementRow, createAgreementQueries } from '../store/agreement-queries.ts';
import { createLetterQueries, type LetterRow } from '../store/letter-queries.ts';
import { createVisitCountQueries, type VisitCountKey } from '../store/visit-count-queries.ts';
import {
  createVisitQueries,
  type VisitChangeRow,
  type VisitRow,
  type VisitView,
} from '../store/visit-queries.ts';
import type { ClubFact, ReciprocalDeps, UseCaseContext, Visitor, VisitorIdentification } from './deps.ts';
import { recordLedgerEntry } from './ledger-port.ts';
import { readVisitCode } from './visit-codes.ts';

/** How the desk says who stands before it: as the member service knows it, or a visit code. */
export type DeskIdentification = VisitorIdentification | { by: 'code'; code: string };

export interface VisitRequest {
  hostClubId: string;
  identification: DeskIdentification;
  guestCount: number;
  nights: number;
}

export interface Verification {
  allowed: boolean;
  reasons: RefusalReason[];
  /** Null when the member service describes nobody to this host (no ACTIVE agreement). */
  visitor: Visitor | null;
  homeClubId: string;
  agreementId: string | null;
  letterId: string | null;
}

/**
 * Who stands at the desk and whether they may come in, with every reason that applies. Writes
 * nothing. Desk only (visit:manage at the host), or the member asking about themselves.
 */
export async function verifyVisitor(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  request: VisitRequest,
): Promise<Verification> {
  const principal = authorizeDesk(context.principal, request);
  const desk = await identify(deps, context, principal, request);
  if (!desk.visitor) return refusedUnknown(desk);
  const visitor = desk.visitor;
  return deps.db.withTenant(request.hostClubId, async (tx) => {
    const held = await holdings(tx, desk, visitor);
    const check = checkVisit(factsOf(desk, visitor, held, request));
    return {
      allowed: check.ok,
      reasons: check.ok ? [] : check.reasons,
      visitor,
      homeClubId: desk.home.id,
      agreementId: held.agreement?.id ?? null,
      letterId: held.letter?.id ?? null,
    };
  });
}

export interface CheckInInput extends VisitRequest {
  purpose: string | null;
  notes: string | null;
}

/**
 * Verifies, then checks the visitor in, in one transaction at the host: the agreement read as it
 * stands (not locked: a suspension committing while the check-in runs orders after it, which is a
 * serial order, as the suspension reads no visit; a FOR SHARE lock here wrote the agreement's row
 * on every check-in and queued every desk of the network behind one row), the month's and year's counts incremented by a conditional upsert (the database, not this code,
 * keeps two desks from passing a limit together), the letter used, the visit with its history, its
 * ledger entry and visit.status_changed. A refusal throws `visit.refused` with every reason and
 * rolls all of it back: nothing is written.
 */
export async function checkIn(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: CheckInInput,
): Promise<{ visit: VisitView; visitor: Visitor }> {
  const principal = authorizeDesk(context.principal, input);
  const desk = await identify(deps, context, principal, input);
  if (!desk.visitor) {
    const refusal = refusedUnknown(desk);
    throw refused(refusal.reasons);
  }
  const visitor = desk.visitor;
  const now = context.clock();
  const result = await deps.db
    .withTenant(input.hostClubId, async (tx) => {
      const held = await holdings(tx, desk, visitor);
      const check = checkVisit(factsOf(desk, visitor, held, input));
      if (!check.ok) throw refused(check.reasons);
      const agreement = held.agreement!;
      const terms = agreement.terms;
      const counts = createVisitCountQueries(tx);
      const key = countKeyOf(desk, visitor);
      const periods = periodsOf(desk.day);
      const visit: VisitRow = {
        id: context.newId(),
        homeClubId: desk.home.id,
        hostClubId: desk.host.id,
        memberId: visitor.memberId,
        memberUserId: visitor.userId,
        agreementId: agreement.id,
        letterId: held.letter?.id ?? null,
        status: 'CHECKED_IN',
        guestCount: input.guestCount,
        purpose: input.purpose,
        identifiedBy: desk.identifiedBy,
        visitDate: desk.day,
        nights: input.nights,
        checkedInAt: now,
        checkedOutAt: null,
        facilitiesUsed: [],
        costs: null,
        notes: input.notes,
        statusReason: null,
        createdBy: principal.userId,
        createdAt: now,
        updatedAt: now,
      };
      const change: VisitChangeRow = {
        id: context.newId(),
        visitId: visit.id,
        homeClubId: visit.homeClubId,
        hostClubId: visit.hostClubId,
        fromStatus: null,
        toStatus: 'CHECKED_IN',
        reason: null,
        changedBy: principal.userId,
        changedAt: now,
      };
      const visits = createVisitQueries(tx);
      // The counts and the writes go out together and are answered in one round trip; the server
      // runs them in turn, the first failure aborting the rest. The counts come first: both in one
      // statement, the year's row before the month's ('2026' sorts before '2026-03', the order a
      // cancellation giving them back locks them in too). Should a limit refuse, the writes behind
      // it ran for nothing: the refusal rolls them back with the rest of the transaction.
      const counting = counts.increment(key, [
        { period: periods.year, limit: terms.maxVisitsPerYear },
        { period: periods.month, limit: terms.maxVisitsPerMonth },
      ]);
      const writing = Promise.all([
        held.letter ? createLetterQueries(tx).markUsed(held.letter.id, now) : undefined,
        visits.insert(visit),
        visits.addChange(change),
        recordLedgerEntry(
          tx,
          {
            id: context.newId(),
            entityKind: 'visit',
            entityId: visit.id,
            fact: 'visit.checked_in',
            clubId: visit.hostClubId,
            counterpartyClubId: visit.homeClubId,
            payload: {
              visitId: visit.id,
              agreementId: visit.agreementId,
              letterId: visit.letterId,
              hostClubId: visit.hostClubId,
              homeClubId: visit.homeClubId,
              memberId: visit.memberId,
              visitDate: visit.visitDate,
              guestCount: visit.guestCount,
              nights: visit.nights,
              checkedInAt: now.toISOString(),
            },
            at: now,
          },
          [visitTransitionEvent(visit, change, context)],
        ),
      ]);
      // Reported below, once the counts have said whether the visit may happen at all.
      writing.catch(() => undefined);
      const counted = await counting;
      if (counted.get(periods.month) === null) throw refused(['MONTHLY_LIMIT_REACHED']);
      if (counted.get(periods.year) === null) throw refused(['YEARLY_LIMIT_REACHED']);
      const [, , , ledgerTxId] = await writing;
      const view: VisitView = {
        ...visit,
        ledgerTxId,
        ledgerStatus: 'PENDING',
        ledgerRecordedAt: now,
        ledgerFact: 'visit.checked_in',
        ledgerBlockNumber: null,
        ledgerConfirmedAt: null,
        ledgerError: null,
        currency: terms.costSharing.currency,
      };
      return { visit: view, visitor };
    })
    .catch((error: unknown) => {
      // visits_one_open_per_member: checked in already, here or at another club (a row this
      // club's transaction cannot see, so the index says it, not a query).
      if (sqlStateOf(error) === SQL_STATE.uniqueViolation) {
        throw new ClubError(
          'visit.already_checked_in',
          'the member is checked in already; check them out first',
        );
      }
      throw error;
    });
  deps.eventsWritten();
  return result;
}

/**
 * visit:manage at the host for the desk; for `self`, the member themselves with visit:request at
 * their home club, as for asking a letter: an account holding no role there (its email not yet
 * verified, its MEMBER role revoked) does not act as the member its record is linked to.
 */
function authorizeDesk(principal: Principal | null, request: VisitRequest): Principal {
  if (request.identification.by === 'self') {
    if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
    authorize(principal, 'visit:request', principal.homeClubId);
    return principal;
  }
  authorize(principal, 'visit:manage', request.hostClubId);
  return principal;
}

interface Desk {
  host: ClubFact;
  home: ClubFact;
  /** Null when the member service knows no ACTIVE agreement between the clubs. */
  visitor: Visitor | null;
  identifiedBy: VisitRow['identifiedBy'];
  /** The visit's day in the host's calendar. */
  day: string;
}

const IDENTIFIED_BY: Record<DeskIdentification['by'], VisitRow['identifiedBy']> = {
  card: 'CARD',
  number: 'NUMBER',
  // The desk typed the member's id (from a letter or a booking): a number of another kind.
  member: 'NUMBER',
  code: 'QR',
  self: 'APP',
};

/** The clubs, the day, and the visitor as the member service projects them for this host. */
async function identify(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  principal: Principal,
  request: VisitRequest,
): Promise<Desk> {
  const host = (await deps.clubs.describe([request.hostClubId])).get(request.hostClubId);
  if (!host) {
    throw new ClubError('club.not_found', `club ${request.hostClubId} was not found`, {
      id: request.hostClubId,
    });
  }
  const identification: VisitorIdentification =
    request.identification.by === 'code'
      ? {
          by: 'member',
          ...(await readVisitCode(deps, context, request.identification.code, request.hostClubId)),
        }
      : request.identification;
  const lookup = await deps.visitors.describe(principal, {
    hostClubId: host.id,
    identification,
    hostCity: host.city,
  });
  if (!lookup.found) {
    throw new ClubError('visit.visitor_unknown', 'no member answers to this identification', {
      reason: lookup.failure,
    });
  }
  const home = (await deps.clubs.describe([lookup.homeClubId])).get(lookup.homeClubId);
  if (!home)
    throw new ClubError('visit.visitor_unknown', 'the home club is unknown', { reason: 'not_found' });
  return {
    host,
    home,
    visitor: lookup.isAgreementActive ? lookup.visitor : null,
    identifiedBy: IDENTIFIED_BY[request.identification.by],
    day: dayIn(host.timezone, context.clock()),
  };
}

/** Without a projection only the clubs can be judged: the agreement, and the home club's standing. */
function refusedUnknown(desk: Desk): Verification {
  const reasons: RefusalReason[] = ['AGREEMENT_INACTIVE'];
  if (desk.home.status !== 'ACTIVE') reasons.push('HOME_CLUB_SUSPENDED');
  return {
    allowed: false,
    reasons,
    visitor: null,
    homeClubId: desk.home.id,
    agreementId: null,
    letterId: null,
  };
}

interface Holdings {
  agreement: AgreementRow | null;
  letter: LetterRow | null;
  month: number;
  year: number;
}

/**
 * What the host's tables say: the live agreement, a usable letter, the counts so far. The three
 * reads are independent: issued together, they travel in one round trip on PostgreSQL (the adapter
 * pipelines a transaction's statements; the server still runs them in order).
 */
async function holdings(tx: Queryable, desk: Desk, visitor: Visitor): Promise<Holdings> {
  const periods = periodsOf(desk.day);
  const [agreement, letter, counts] = await Promise.all([
    createAgreementQueries(tx).findLiveBetween(desk.host.id, desk.home.id),
    createLetterQueries(tx).findUsable(desk.home.id, visitor.memberId, desk.host.id, desk.day),
    createVisitCountQueries(tx).counts(countKeyOf(desk, visitor), [periods.month, periods.year]),
  ]);
  return { agreement, letter, month: counts.get(periods.month) ?? 0, year: counts.get(periods.year) ?? 0 };
}

function factsOf(desk: Desk, visitor: Visitor, held: Holdings, request: VisitRequest) {
  return {
    agreement: held.agreement,
    isAgreementKnownActive: true,
    standing: visitor.standing,
    livesInHostCity: visitor.livesInHostCity,
    home: desk.home,
    host: desk.host,
    day: desk.day,
    guestCount: request.guestCount,
    nights: request.nights,
    hasLetter: held.letter !== null,
    visitsThisMonth: held.month,
    visitsThisYear: held.year,
  };
}

function countKeyOf(desk: Desk, visitor: Visitor): VisitCountKey {
  return { homeClubId: desk.home.id, hostClubId: desk.host.id, memberId: visitor.memberId };
}

function refused(reasons: readonly RefusalReason[]): ClubError {
  return new ClubError('visit.refused', `the visit is refused: ${reasons.join(', ')}`, {
    reasons: [...reasons],
  });
}
