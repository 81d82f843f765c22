import { ClubStatus } from '@clubland/contract/member/v1';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { RefusalReason } from '@clubland/contract/reciprocal/v1/visits';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefusalReason as Reason } from '../src/domain/visit-rules.ts';
import { createLetterQueries } from '../src/store/letter-queries.ts';
import { type DeskWorld, deskWorld, footprint, LONDON } from './desk-world.ts';
import {
  callerOf,
  eventually,
  networkAdminCaller,
  principalWith,
  type ReciprocalServiceHarness,
  setupReciprocalService,
} from './setup.ts';

/** The front desk: identify, verify with every reason, check in; a refusal writes nothing. */
describe('front desk', () => {
  let harness: ReciprocalServiceHarness;
  // Noon in London on 15 June 2026: the host's calendar day is 2026-06-15.
  let now = new Date('2026-06-15T11:00:00Z');

  beforeAll(async () => {
    harness = await setupReciprocalService({ clock: () => now });
  });
  afterAll(() => harness.close());

  function byNumber(world: DeskWorld) {
    return {
      by: {
        case: 'memberNumber' as const,
        value: { homeClubId: world.home, memberNumber: world.memberNumber },
      },
    };
  }

  /** Verification names exactly `reasons`; check-in is refused with them and writes nothing. */
  async function expectRefused(
    world: DeskWorld,
    reasons: Reason[],
    visit: { guestCount?: number; nights?: number } = {},
  ): Promise<void> {
    const request = {
      caller: world.desk,
      hostClubId: world.host,
      identification: byNumber(world),
      guestCount: visit.guestCount ?? 0,
      nights: visit.nights ?? 0,
    };
    const verification = await harness.visits.verifyVisitor(request);
    expect(verification.allowed).toBe(false);
    expect(verification.reasons).toEqual(reasons.map((reason) => RefusalReason[reason]));
    const before = await footprint(harness);
    await expect(harness.visits.checkIn(request)).rejects.toMatchObject({
      code: 'visit.refused',
      details: { reasons },
    });
    expect(await footprint(harness)).toEqual(before);
  }

  async function seedCount(world: DeskWorld, period: string, visits: number): Promise<void> {
    await harness.db.withTenant(world.host, (tx) =>
      tx.query(
        `INSERT INTO reciprocal.visit_counts (home_club_id, host_club_id, member_id, period, visits)
         VALUES ($1, $2, $3, $4, $5)`,
        [world.home, world.host, world.memberId, period, visits],
      ),
    );
  }

  async function seedLetter(world: DeskWorld, arrivesOn: string, departsOn: string): Promise<string> {
    const id = uuidv7();
    await harness.db.transaction((tx) =>
      createLetterQueries(tx).insert({
        id,
        homeClubId: world.home,
        hostClubId: world.host,
        memberId: world.memberId,
        memberUserId: null,
        agreementId: world.agreementId,
        arrivesOn,
        departsOn,
        purpose: 'business in town',
        guestCount: 0,
        delivery: 'EMAIL',
        status: 'APPROVED',
        replacesId: null,
        issuedBy: uuidv7(),
        decidedBy: uuidv7(),
        decidedAt: now,
        statusReason: null,
        usedAt: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return id;
  }

  describe('refuses, with nothing written', () => {
    it('AGREEMENT_INACTIVE: the agreement is suspended', async () => {
      const world = await deskWorld(harness, { agreementStatus: 'SUSPENDED' });
      await expectRefused(world, ['AGREEMENT_INACTIVE']);
    });

    it('AGREEMENT_INACTIVE: the agreement has not begun', async () => {
      const world = await deskWorld(harness);
      await harness.db.transaction((tx) =>
        tx.query(`UPDATE reciprocal.agreements SET starts_on = '2026-07-01' WHERE id = $1`, [
          world.agreementId,
        ]),
      );
      await expectRefused(world, ['AGREEMENT_INACTIVE']);
    });

    it('MEMBER_NOT_ACTIVE: the member is suspended at home', async () => {
      const world = await deskWorld(harness);
      await harness.memberService.members.changeMemberStatus({
        caller: world.homeAdmin,
        id: world.memberId,
        status: MemberStatus.SUSPENDED,
        reason: 'unpaid dues',
      });
      await expectRefused(world, ['MEMBER_NOT_ACTIVE']);
    });

    it('HOME_CLUB_SUSPENDED: the home club is suspended from the network', async () => {
      const world = await deskWorld(harness);
      await harness.memberService.clubRegistry.setClubStatus({
        caller: networkAdminCaller(),
        clubId: world.home,
        status: ClubStatus.SUSPENDED,
        reason: 'network dues unpaid',
      });
      await expectRefused(world, ['HOME_CLUB_SUSPENDED']);
    });

    it('BLACKOUT: today is in a blackout range', async () => {
      const world = await deskWorld(harness, {
        terms: { blackoutDates: ['2026-12-25', '2026-06-14/2026-06-16'] },
      });
      await expectRefused(world, ['BLACKOUT']);
    });

    it('LOI_REQUIRED: a letter is required and none covers today', async () => {
      const world = await deskWorld(harness, { terms: { requiresLetter: true } });
      await seedLetter(world, '2026-06-16', '2026-06-20');
      await expectRefused(world, ['LOI_REQUIRED']);
    });

    it('MONTHLY_LIMIT_REACHED: the month has its visits', async () => {
      const world = await deskWorld(harness, { terms: { maxVisitsPerMonth: 2 } });
      await seedCount(world, '2026-06', 2);
      await expectRefused(world, ['MONTHLY_LIMIT_REACHED']);
    });

    it('YEARLY_LIMIT_REACHED: the year has its visits', async () => {
      const world = await deskWorld(harness, { terms: { maxVisitsPerYear: 6 } });
      await seedCount(world, '2026', 6);
      await expectRefused(world, ['YEARLY_LIMIT_REACHED']);
    });

    it('TOO_CLOSE_TO_HOME: the clubs are nearer than the minimum distance', async () => {
      const world = await deskWorld(harness, {
        hostPlace: { city: 'Richmond', latitude: 51.4613, longitude: -0.3037 },
        terms: { minDistanceKm: 80 },
      });
      await expectRefused(world, ['TOO_CLOSE_TO_HOME']);
    });

    it("RESIDENT_REFUSED: the member lives in the host's city", async () => {
      const world = await deskWorld(harness, {
        memberCity: 'edinburgh',
        terms: { refuseHostCityResidents: true },
      });
      await expectRefused(world, ['RESIDENT_REFUSED']);
    });

    it('TOO_MANY_GUESTS: more guests than the agreement allows', async () => {
      const world = await deskWorld(harness, { terms: { guestsPerVisit: 1 } });
      await expectRefused(world, ['TOO_MANY_GUESTS'], { guestCount: 2 });
    });

    it('STAY_TOO_LONG: more nights than the agreement allows', async () => {
      const world = await deskWorld(harness, { terms: { maxStayNights: 2 } });
      await expectRefused(world, ['STAY_TOO_LONG'], { nights: 3 });
    });

    it('with every reason that applies at once', async () => {
      const world = await deskWorld(harness, {
        terms: { maxStayNights: 0, guestsPerVisit: 0, requiresLetter: true, blackoutDates: ['2026-06-15'] },
      });
      await expectRefused(world, ['BLACKOUT', 'LOI_REQUIRED', 'TOO_MANY_GUESTS', 'STAY_TOO_LONG'], {
        guestCount: 1,
        nights: 1,
      });
    });
  });

  describe('checks in', () => {
    it('a member shown by card: the visit, its count, history, ledger entry and event', async () => {
      const world = await deskWorld(harness, { terms: { maxVisitsPerMonth: 4, maxVisitsPerYear: 12 } });
      const { token } = await harness.memberService.members.issueMembershipCard({
        caller: world.self,
        memberId: world.memberId,
      });
      const before = await footprint(harness);
      const { visit, visitor } = await harness.visits.checkIn({
        caller: world.desk,
        hostClubId: world.host,
        identification: { by: { case: 'card', value: token } },
        guestCount: 1,
        nights: 0,
        purpose: 'lunch',
      });
      expect(visit).toMatchObject({
        homeClubId: world.home,
        hostClubId: world.host,
        memberId: world.memberId,
        agreementId: world.agreementId,
        status: 'CHECKED_IN',
        identifiedBy: 'CARD',
        visitDate: '2026-06-15',
        guestCount: 1,
        purpose: 'lunch',
      });
      expect(visit!.ledgerTxId).not.toBe('');
      expect(visitor).toMatchObject({
        firstName: 'Grace',
        lastName: 'Hopper',
        standing: 'ACTIVE',
        homeClubName: 'Home',
      });
      expect(await footprint(harness)).toMatchObject({
        visits: before.visits! + 1,
        visitChanges: before.visitChanges! + 1,
        countedVisits: before.countedVisits! + 2,
        ledgerEntries: before.ledgerEntries! + 1,
        // visit.status_changed, and the ledger entry's ledger.entry_requested.
        outbox: before.outbox! + 2,
      });
      await eventually(() =>
        expect(
          harness.published.some((event) => (event.data as { visitId?: string }).visitId === visit!.id),
        ).toBe(true),
      );
      // The same member once more: checked in already.
      await expect(
        harness.visits.checkIn({
          caller: world.desk,
          hostClubId: world.host,
          identification: byNumber(world),
        }),
      ).rejects.toMatchObject({ code: 'visit.already_checked_in' });
    });

    it('a member given by home club and number, using the letter that covers today', async () => {
      const world = await deskWorld(harness, { terms: { requiresLetter: true } });
      const letterId = await seedLetter(world, '2026-06-14', '2026-06-16');
      const verification = await harness.visits.verifyVisitor({
        caller: world.desk,
        hostClubId: world.host,
        identification: byNumber(world),
      });
      expect(verification).toMatchObject({
        allowed: true,
        reasons: [],
        letterId,
        agreementId: world.agreementId,
      });
      const { visit } = await harness.visits.checkIn({
        caller: world.desk,
        hostClubId: world.host,
        identification: byNumber(world),
      });
      expect(visit).toMatchObject({ identifiedBy: 'NUMBER', letterId });
      const letter = await harness.db.transaction((tx) => createLetterQueries(tx).findById(letterId));
      expect(letter?.status).toBe('USED');
    });

    it('a member showing a visit code; a code for another club or past its two minutes is refused', async () => {
      const world = await deskWorld(harness);
      const other = await deskWorld(harness);
      const { code, expiresAt } = await harness.visits.issueVisitCode({
        caller: world.self,
        hostClubId: world.host,
      });
      expect(Number(expiresAt!.seconds) * 1000 - now.getTime()).toBe(120_000);
      await expect(
        harness.visits.checkIn({
          caller: other.desk,
          hostClubId: other.host,
          identification: { by: { case: 'visitCode', value: code } },
        }),
      ).rejects.toMatchObject({ code: 'visit.code_invalid', details: { reason: 'other_host' } });
      const issuedAt = now;
      now = new Date(issuedAt.getTime() + 121_000);
      await expect(
        harness.visits.checkIn({
          caller: world.desk,
          hostClubId: world.host,
          identification: { by: { case: 'visitCode', value: code } },
        }),
      ).rejects.toMatchObject({ code: 'visit.code_invalid', details: { reason: 'expired' } });
      now = issuedAt;
      const forged = `${code.slice(0, -4)}AAAA`;
      await expect(
        harness.visits.checkIn({
          caller: world.desk,
          hostClubId: world.host,
          identification: { by: { case: 'visitCode', value: forged } },
        }),
      ).rejects.toMatchObject({ code: 'visit.code_invalid' });
      const { visit } = await harness.visits.checkIn({
        caller: world.desk,
        hostClubId: world.host,
        identification: { by: { case: 'visitCode', value: code } },
      });
      expect(visit).toMatchObject({ identifiedBy: 'QR', memberId: world.memberId });
    });

    it('the member themselves, from the app', async () => {
      const world = await deskWorld(harness);
      const { visit } = await harness.visits.checkIn({
        caller: world.self,
        hostClubId: world.host,
        identification: { by: { case: 'self', value: true } },
      });
      expect(visit).toMatchObject({ identifiedBy: 'APP', memberId: world.memberId, status: 'CHECKED_IN' });
    });
  });

  describe('who may ask', () => {
    it('refuses a member at the desk, and staff of a third club', async () => {
      const world = await deskWorld(harness);
      const before = await footprint(harness);
      for (const caller of [world.self, callerOf(principalWith('STAFF', world.home))]) {
        await expect(
          harness.visits.checkIn({ caller, hostClubId: world.host, identification: byNumber(world) }),
        ).rejects.toMatchObject({ code: 'request.forbidden' });
      }
      expect(await footprint(harness)).toEqual(before);
    });

    it('tells the desk nobody answers to an unknown number or a forged card', async () => {
      const world = await deskWorld(harness);
      await expect(
        harness.visits.verifyVisitor({
          caller: world.desk,
          hostClubId: world.host,
          identification: {
            by: { case: 'memberNumber', value: { homeClubId: world.home, memberNumber: 'NOPE' } },
          },
        }),
      ).rejects.toMatchObject({ code: 'visit.visitor_unknown', details: { reason: 'not_found' } });
      await expect(
        harness.visits.verifyVisitor({
          caller: world.desk,
          hostClubId: world.host,
          identification: { by: { case: 'card', value: 'e30.e30.sig' } },
        }),
      ).rejects.toMatchObject({ code: 'visit.visitor_unknown' });
    });

    it('shows the host the projection only', async () => {
      const world = await deskWorld(harness, { homePlace: LONDON });
      const { visitor } = await harness.visits.verifyVisitor({
        caller: world.desk,
        hostClubId: world.host,
        identification: byNumber(world),
      });
      const { $typeName: _, ...fields } = visitor!;
      expect(Object.keys(fields).sort()).toEqual(
        [
          'firstName',
          'homeClubId',
          'homeClubName',
          'lastName',
          'memberId',
          'memberNumber',
          'membershipType',
          'photoUrl',
          'standing',
        ].sort(),
      );
      expect(JSON.stringify(visitor)).not.toContain('grace@example.org');
    });
  });
});
