import { can } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import { verifyMembershipCard } from '../domain/membership-card.ts';
import { createClubQueries } from '../store/club-queries.ts';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';
import { createVisitorQueries } from '../store/visitor-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';
import { cardSigningKeys } from './membership-cards.ts';

export type VisitorIdentification =
  | { by: 'card'; token: string }
  | { by: 'number'; homeClubId: string; memberNumber: string }
  | { by: 'member'; homeClubId: string | null; memberId: string }
  | { by: 'self' };

/**
 * What a host club may know of a visitor: these keys and no others (the output guard; a test lists
 * them). The address stays here: the host learns only whether the member lives in its city.
 */
export interface VisitorProjection {
  memberId: string;
  homeClubId: string;
  homeClubName: string;
  firstName: string;
  lastName: string;
  photoUrl: string;
  membershipType: string;
  standing: string;
  memberNumber: string;
  userId: string;
  livesInHostCity: boolean;
}

export type VisitorDescription =
  | { found: false; failure: string }
  | { found: true; homeClubId: string; agreementActive: false }
  | { found: true; homeClubId: string; agreementActive: true; visitor: VisitorProjection };

/**
 * Describes who stands at a host club's desk, for the reciprocal service. The desk (visit:manage at
 * the host) may ask about anyone; a member only about themselves. The host learns the member's home
 * club in any case, and the projection only while it holds an ACTIVE agreement with that club
 * (member.reciprocal_agreements, from agreement.status_changed). Reads only: nothing is written.
 */
export async function describeVisitor(
  deps: MemberDeps,
  context: UseCaseContext,
  input: { hostClubId: string; identification: VisitorIdentification; hostCity: string },
): Promise<VisitorDescription> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const isDesk = can(principal, 'visit:manage', input.hostClubId);
  if (!isDesk && input.identification.by !== 'self') {
    throw new ClubError('request.forbidden', 'missing permission visit:manage', {
      permission: 'visit:manage',
    });
  }

  const located = await locate(deps, context, input.identification);
  if (!located.ok) return { found: false, failure: located.failure };
  const { homeClubId } = located;
  if (homeClubId === input.hostClubId) return { found: false, failure: 'not_found' };

  // One read-only transaction at the home club, sent whole (BEGIN, the three reads, COMMIT) and
  // answered in one round trip: the record, the club's name and the agreement read model
  // (network-wide, readable in any transaction). A desk checks visitors in one after another: each
  // round trip saved here is one less per check-in.
  const [member, club, agreementActive] = await deps.db.readAtOnce(homeClubId, (tx) =>
    Promise.all([
      located.find(tx),
      createClubQueries(tx).findById(homeClubId),
      createVisitorQueries(tx).isAgreementActive(input.hostClubId, homeClubId),
    ]),
  );
  // An erased record describes nobody; a member asking about someone else learns nothing either.
  if (!member || !club || member.erasedAt !== null) return { found: false, failure: 'not_found' };
  if (!isDesk && member.userId !== principal.userId) return { found: false, failure: 'not_found' };
  if (!agreementActive) return { found: true, homeClubId, agreementActive: false };
  return {
    found: true,
    homeClubId,
    agreementActive: true,
    visitor: projectionOf(member, club.name, input.hostCity),
  };
}

/** Where the record is, and how to read it (one statement) inside the home club's transaction. */
type Located =
  | { ok: true; homeClubId: string; find: (tx: Tx) => Promise<MemberRow | null> }
  | { ok: false; failure: string };

async function locate(
  deps: MemberDeps,
  context: UseCaseContext,
  identification: VisitorIdentification,
): Promise<Located> {
  const byId = (homeClubId: string, memberId: string) => (tx: Tx) =>
    createMemberQueries(tx).findById(homeClubId, memberId);
  switch (identification.by) {
    case 'card': {
      const check = await verifyMembershipCard(
        identification.token,
        (clubId) => cardSigningKeys(deps, clubId).catch(() => []),
        context.clock(),
      );
      return check.ok
        ? { ok: true, homeClubId: check.clubId, find: byId(check.clubId, check.memberId) }
        : { ok: false, failure: check.reason };
    }
    case 'number': {
      const { homeClubId, memberNumber } = identification;
      return {
        ok: true,
        homeClubId,
        find: (tx) => createMemberQueries(tx).findByNumber(homeClubId, memberNumber),
      };
    }
    case 'member': {
      const { memberId } = identification;
      const homeClubId =
        identification.homeClubId ??
        (await deps.db.readAtOnce(null, (tx) => createVisitorQueries(tx).clubOfMember(memberId)));
      return homeClubId
        ? { ok: true, homeClubId, find: byId(homeClubId, memberId) }
        : { ok: false, failure: 'not_found' };
    }
    case 'self': {
      const principal = context.principal!;
      const homeClubId = principal.homeClubId;
      if (!homeClubId) return { ok: false, failure: 'not_found' };
      return {
        ok: true,
        homeClubId,
        find: (tx) => createMemberQueries(tx).findByUser(homeClubId, principal.userId),
      };
    }
  }
}

/** The output guard: every key written out by name, so a column added later cannot leak. */
export function projectionOf(member: MemberRow, homeClubName: string, hostCity: string): VisitorProjection {
  return {
    memberId: member.id,
    homeClubId: member.clubId,
    homeClubName,
    firstName: member.firstName,
    lastName: member.lastName,
    photoUrl: '',
    membershipType: member.membershipType,
    standing: member.status,
    memberNumber: member.memberNumber,
    userId: member.userId ?? '',
    livesInHostCity: sameCity(member.address?.city ?? '', hostCity),
  };
}

function sameCity(a: string, b: string): boolean {
  const normal = (city: string) => city.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
  return normal(a) !== '' && normal(a) === normal(b);
}
