import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { Agreement, AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import type { Letter, LetterService } from '@clubland/contract/reciprocal/v1/letters';
import type { Visit, VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { Logger } from '@clubland/log';
import type { Client } from '@connectrpc/connect';
import {
  DEMO_AGREEMENTS,
  DEMO_CLUBS,
  DEMO_LETTERS,
  DEMO_VISITS,
  type DemoAgreement,
  type DemoLetter,
  type DemoVisit,
} from './demo-network.ts';

/**
 * The reciprocal side of the demo network, through the reciprocal service's RPC clients as the
 * clubs' own people would act: each agreement proposed by its proposer's administrator, approved by
 * the partner's and, for the suspended one, suspended by the side that suspends it; Ada's letter
 * issued by her club's desk and approved by the host's; the demo visits checked in and out by the
 * host's desk. Idempotent: what exists is found again (an agreement by its pair, a letter or visit by
 * its member, host and purpose) and only moved on along its demo path where an earlier run stopped.
 */

export interface ReciprocalClients {
  agreements: Client<typeof AgreementService>;
  letters: Client<typeof LetterService>;
  visits: Client<typeof VisitService>;
}

/** A demo club as the seed acts for it: its administrator and its front desk (a member of staff). */
export interface ClubActors {
  clubId: string;
  admin: CallerContext;
  desk: CallerContext;
}

export interface ReciprocalSeedOptions {
  clients: ReciprocalClients;
  /** By slug, every demo club. */
  clubs: ReadonlyMap<string, ClubActors>;
  /** Member ids by member number. */
  memberIds: ReadonlyMap<string, string>;
  clock: () => Date;
  log: Logger;
}

export interface DemoReciprocalResult {
  agreements: { id: string; proposer: string; partner: string; status: string }[];
  letters: {
    id: string;
    memberNumber: string;
    host: string;
    status: string;
    arrivesOn: string;
    departsOn: string;
  }[];
  visits: {
    id: string;
    memberNumber: string;
    host: string;
    status: string;
    visitDate: string;
    /** Minor units of the agreement's currency. */
    costs: { total: number; homeClubShare: number; memberShare: number; currency: string };
  }[];
  /** What this run added; all zero when the demo's reciprocal facts existed already. */
  created: { agreements: number; letters: number; visits: number };
}

/** Statuses an agreement does not come back from: a pair whose agreement ended may agree again. */
const ENDED = new Set(['REJECTED', 'EXPIRED', 'CANCELLED', 'TERMINATED']);
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 100;

export async function seedReciprocal(options: ReciprocalSeedOptions): Promise<DemoReciprocalResult> {
  const { clients, clock, log } = options;
  const created = { agreements: 0, letters: 0, visits: 0 };
  const club = (slug: string) => options.clubs.get(slug)!;
  const memberId = (number: string) => options.memberIds.get(number)!;

  async function ensureAgreement(demo: DemoAgreement): Promise<Agreement> {
    const proposer = club(demo.proposer);
    const partner = club(demo.partner);
    const { agreements } = await clients.agreements.listAgreements({
      caller: proposer.admin,
      clubId: proposer.clubId,
      pageSize: PAGE,
    });
    let agreement = agreements.find(
      (a) => !ENDED.has(a.status) && [a.proposerClubId, a.partnerClubId].includes(partner.clubId),
    );
    const act = async (
      action: 'submitAgreement' | 'approveAgreement' | 'suspendAgreement',
      by: ClubActors,
      reason = '',
    ) => {
      const id = agreement!.id;
      ({ agreement } = await clients.agreements[action]({ caller: by.admin, clubId: by.clubId, id, reason }));
    };
    if (!agreement) {
      ({ agreement } = await clients.agreements.proposeAgreement({
        caller: proposer.admin,
        clubId: proposer.clubId,
        partnerClubId: partner.clubId,
        agreementType: 'BILATERAL',
        startsOn: utcDay(new Date(clock().getTime() - demo.inForceForDays * DAY_MS)),
        terms: termsOf(demo, clock()),
        notes: demo.notes,
        submit: true,
      }));
      created.agreements += 1;
      log.info({ proposer: demo.proposer, partner: demo.partner }, 'demo agreement proposed');
    }
    if (agreement!.status === 'DRAFT') await act('submitAgreement', proposer);
    if (agreement!.status === 'PENDING' && demo.status !== 'PENDING') await act('approveAgreement', partner);
    if (agreement!.status === 'ACTIVE' && demo.suspension) {
      await act('suspendAgreement', club(demo.suspension.by), demo.suspension.reason);
    }
    return agreement!;
  }

  async function ensureLetter(demo: DemoLetter): Promise<Letter> {
    const home = club(demo.home);
    const host = club(demo.host);
    const member = memberId(demo.memberNumber);
    const { letters } = await clients.letters.listLetters({
      caller: home.desk,
      clubId: home.clubId,
      side: 'HOME',
      pageSize: PAGE,
    });
    let letter = letters.find(
      (l) => l.memberId === member && l.hostClubId === host.clubId && l.purpose === demo.purpose,
    );
    if (!letter) {
      const arrivesOn = dayAt(timezoneOf(demo.host), clock());
      ({ letter } = await clients.letters.issueLetter({
        caller: home.desk,
        homeClubId: home.clubId,
        memberId: member,
        hostClubId: host.clubId,
        arrivesOn,
        departsOn: utcDay(new Date(Date.parse(`${arrivesOn}T00:00:00Z`) + demo.nights * DAY_MS)),
        purpose: demo.purpose,
        guestCount: demo.guestCount,
        delivery: 'EMAIL',
      }));
      created.letters += 1;
    }
    if (letter!.status === 'PENDING') {
      ({ letter } = await clients.letters.approveLetter({ caller: host.desk, letterId: letter!.id }));
    }
    return letter!;
  }

  async function ensureVisit(demo: DemoVisit): Promise<Visit> {
    const home = club(demo.home);
    const host = club(demo.host);
    const member = memberId(demo.memberNumber);
    const { visits } = await clients.visits.listVisits({
      caller: host.desk,
      clubId: host.clubId,
      side: 'HOST',
      pageSize: PAGE,
    });
    let visit = visits.find((v) => v.memberId === member && v.purpose === demo.purpose);
    if (!visit) {
      ({ visit } = await clients.visits.checkIn({
        caller: host.desk,
        hostClubId: host.clubId,
        identification: {
          by: { case: 'memberNumber', value: { homeClubId: home.clubId, memberNumber: demo.memberNumber } },
        },
        guestCount: demo.guestCount,
        purpose: demo.purpose,
      }));
      created.visits += 1;
    }
    if (visit!.status === 'CHECKED_IN') {
      ({ visit } = await clients.visits.checkOut({
        caller: host.desk,
        visitId: visit!.id,
        facilitiesUsed: demo.facilitiesUsed,
        facilityFees: BigInt(demo.facilityFees),
        foodBeverage: BigInt(demo.foodBeverage),
      }));
    }
    return visit!;
  }

  const slugOf = (clubId: string) => [...options.clubs].find(([, actors]) => actors.clubId === clubId)![0];
  const agreements = [];
  for (const demo of DEMO_AGREEMENTS) {
    const agreement = await ensureAgreement(demo);
    agreements.push({
      id: agreement.id,
      proposer: slugOf(agreement.proposerClubId),
      partner: slugOf(agreement.partnerClubId),
      status: agreement.status,
    });
  }
  const letters = [];
  for (const demo of DEMO_LETTERS) {
    const letter = await ensureLetter(demo);
    const { id, status, arrivesOn, departsOn } = letter;
    letters.push({ id, memberNumber: demo.memberNumber, host: demo.host, status, arrivesOn, departsOn });
  }
  const visits = [];
  for (const demo of DEMO_VISITS) {
    const visit = await ensureVisit(demo);
    const costs = visit.costs;
    visits.push({
      id: visit.id,
      memberNumber: demo.memberNumber,
      host: demo.host,
      status: visit.status,
      visitDate: visit.visitDate,
      costs: {
        total: Number(costs?.total ?? 0n),
        homeClubShare: Number(costs?.homeClubShare ?? 0n),
        memberShare: Number(costs?.memberShare ?? 0n),
        currency: costs?.currency ?? visit.currency,
      },
    });
  }
  log.info(created, 'demo reciprocity ready');
  return { agreements, letters, visits, created };
}

function termsOf(demo: DemoAgreement, now: Date) {
  const { blackoutDays, costSharing, allowedFacilities, ...limits } = demo.terms;
  return {
    ...limits,
    allowedFacilities: { values: allowedFacilities },
    blackoutDates: { values: blackoutDays.map((day) => nextDate(day, now)) },
    costSharing: { ...costSharing, guestFee: BigInt(costSharing.guestFee) },
    requiresLetter: false,
  };
}

function timezoneOf(slug: string): string {
  return DEMO_CLUBS.find((club) => club.slug === slug)!.timezone;
}

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The calendar day at an instant in a time zone (en-CA writes it YYYY-MM-DD). */
function dayAt(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The next date of a day of the year (MM-DD) at least two days away: never today anywhere on Earth. */
function nextDate(monthDay: string, now: Date): string {
  const soonest = utcDay(new Date(now.getTime() + 2 * DAY_MS));
  const year = now.getUTCFullYear();
  const thisYear = `${year}-${monthDay}`;
  return thisYear >= soonest ? thisYear : `${year + 1}-${monthDay}`;
}
