import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { v7 as uuidv7 } from 'uuid';
import type { AgreementStatus, AgreementTerms } from '../src/domain/agreement.ts';
import { seedAgreement } from './seed-agreement.ts';
import { callerOf, networkAdminCaller, principalWith, type ReciprocalServiceHarness } from './setup.ts';

export interface Place {
  city: string;
  latitude: number;
  longitude: number;
}

export const LONDON: Place = { city: 'London', latitude: 51.5074, longitude: -0.1278 };
export const EDINBURGH: Place = { city: 'Edinburgh', latitude: 55.9533, longitude: -3.1883 };

export interface DeskWorld {
  home: string;
  host: string;
  agreementId: string;
  memberId: string;
  memberNumber: string;
  /** The member's own caller (their account at the home club). */
  self: CallerContext;
  /** Staff at the host's front desk (visit:manage there). */
  desk: CallerContext;
  homeAdmin: CallerContext;
}

/**
 * Two new clubs (home in London, host in Edinburgh unless told), an ACTIVE member of the home club
 * linked to an account, and an agreement between them: the front desk's world for one test.
 */
export async function deskWorld(
  harness: ReciprocalServiceHarness,
  options: {
    terms?: Partial<AgreementTerms>;
    agreementStatus?: AgreementStatus;
    homePlace?: Place;
    hostPlace?: Place;
    memberCity?: string;
  } = {},
): Promise<DeskWorld> {
  const registry = harness.memberService.clubRegistry;
  const club = async (name: string, place: Place) => {
    const { club } = await registry.createClub({
      caller: networkAdminCaller(),
      name,
      slug: `${name.toLowerCase()}-${uuidv7().slice(-12)}`,
      address: { street: '1 High Street', city: place.city, state: '', postalCode: '', country: 'GB' },
      latitude: place.latitude,
      longitude: place.longitude,
      timezone: 'Europe/London',
      currency: 'GBP',
    });
    return club!.id;
  };
  const homePlace = options.homePlace ?? LONDON;
  const home = await club('Home', homePlace);
  const host = await club('Host', options.hostPlace ?? EDINBURGH);
  const homeAdmin = callerOf(principalWith('CLUB_ADMIN', home));
  const account = await harness.account(home);
  const memberNumber = 'V-1';
  const { member } = await harness.memberService.members.createMember({
    caller: homeAdmin,
    memberNumber,
    userId: account.userId,
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.org',
    address: {
      street: '2 Low Street',
      city: options.memberCity ?? homePlace.city,
      state: '',
      postalCode: '',
      country: 'GB',
    },
    membershipType: 'REGULAR',
  });
  await harness.memberService.members.changeMemberStatus({
    caller: homeAdmin,
    id: member!.id,
    status: MemberStatus.ACTIVE,
    reason: 'approved',
  });
  const agreementId = await seedAgreement(harness, {
    proposerClubId: home,
    partnerClubId: host,
    ...(options.agreementStatus ? { status: options.agreementStatus } : {}),
    ...(options.terms ? { terms: options.terms } : {}),
  });
  return {
    home,
    host,
    agreementId,
    memberId: member!.id,
    memberNumber,
    self: callerOf(account),
    desk: callerOf(principalWith('STAFF', host)),
    homeAdmin,
  };
}

/** Rows the front desk writes, counted across every club (a network transaction). */
export async function footprint(harness: ReciprocalServiceHarness): Promise<Record<string, number>> {
  const { rows } = await harness.db.transaction((tx) =>
    tx.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM reciprocal.visits) AS visits,
              (SELECT count(*)::int FROM reciprocal.visit_changes) AS "visitChanges",
              (SELECT coalesce(sum(visits), 0)::int FROM reciprocal.visit_counts) AS "countedVisits",
              (SELECT count(*)::int FROM reciprocal.visit_counts) AS "countRows",
              (SELECT count(*)::int FROM reciprocal.outbox) AS outbox,
              (SELECT count(*)::int FROM reciprocal.ledger_entries) AS "ledgerEntries",
              (SELECT count(*)::int FROM reciprocal.letters WHERE status = 'USED') AS "usedLetters"`,
    ),
  );
  return rows[0]!;
}
