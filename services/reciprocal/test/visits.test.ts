import type { Principal } from '@clubland/authz';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgreementTerms } from '../src/domain/agreement.ts';
import type { VisitStatus } from '../src/domain/visit-lifecycle.ts';
import { createAgreementQueries } from '../src/store/agreement-queries.ts';
import { createVisitQueries } from '../src/store/visit-queries.ts';
import {
  callerOf,
  eventually,
  principalWith,
  type ReciprocalServiceHarness,
  setupReciprocalService,
} from './setup.ts';
import { DEFAULT_TERMS } from './terms.ts';

const TERMS: AgreementTerms = {
  ...DEFAULT_TERMS,
  allowedFacilities: ['DINING', 'LIBRARY', 'GYM'],
  costSharing: {
    guestFee: 2500,
    currency: 'GBP',
    guestFeeCovered: true,
    facilityFeesCovered: true,
    foodBeverageCovered: false,
    percentageCovered: 50,
    maxAmountCovered: 5000,
  },
};

/**
 * Visits after check-in through VisitService: check-out with cost sharing, cancel, no-show, and the
 * lists. Check-in is another use case: visits are seeded CHECKED_IN (or PLANNED) through the store,
 * in the host's tenant transaction, with the counts check-in would have written.
 */
describe('visits after check-in', () => {
  let harness: ReciprocalServiceHarness;
  let home: string;
  let host: string;
  let third: string;
  let agreementId: string;
  let member: Principal;
  let otherMember: Principal;
  let hostStaff: Principal;
  let homeStaff: Principal;
  let thirdStaff: Principal;

  beforeAll(async () => {
    harness = await setupReciprocalService();
    home = await harness.seedClub('Home');
    host = await harness.seedClub('Host');
    third = await harness.seedClub('Third');
    member = principalWith('MEMBER', home);
    otherMember = principalWith('MEMBER', home);
    hostStaff = principalWith('STAFF', host);
    homeStaff = principalWith('STAFF', home);
    thirdStaff = principalWith('STAFF', third);
    agreementId = uuidv7();
    const now = new Date();
    await harness.db.withTenant(home, (tx) =>
      createAgreementQueries(tx).insert({
        id: agreementId,
        proposerClubId: home,
        partnerClubId: host,
        agreementType: 'BILATERAL',
        status: 'ACTIVE',
        startsOn: '2026-01-01',
        endsOn: null,
        terms: TERMS,
        notes: null,
        statusReason: null,
        createdBy: uuidv7(),
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
  afterAll(() => harness.close());

  /** A visit of `who` at the host, as check-in would have left it (counts included when CHECKED_IN). */
  async function seedVisit(
    options: { status?: VisitStatus; who?: Principal; guests?: number; visitDate?: string } = {},
  ): Promise<{ id: string; memberId: string }> {
    const status = options.status ?? 'CHECKED_IN';
    const visitDate = options.visitDate ?? '2026-03-14';
    const id = uuidv7();
    const memberId = uuidv7();
    const at = new Date(`${visitDate}T10:00:00Z`);
    await harness.db.withTenant(host, async (tx) => {
      await createVisitQueries(tx).insert({
        id,
        homeClubId: home,
        hostClubId: host,
        memberId,
        memberUserId: (options.who ?? member).userId,
        agreementId,
        letterId: null,
        status,
        guestCount: options.guests ?? 0,
        purpose: 'business',
        identifiedBy: 'CARD',
        visitDate,
        nights: 0,
        checkedInAt: status === 'CHECKED_IN' ? at : null,
        checkedOutAt: null,
        facilitiesUsed: [],
        costs: null,
        notes: null,
        statusReason: null,
        createdBy: hostStaff.userId,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      if (status === 'CHECKED_IN') {
        for (const period of [visitDate.slice(0, 7), visitDate.slice(0, 4)]) {
          await tx.query(
            `INSERT INTO reciprocal.visit_counts (home_club_id, host_club_id, member_id, period, visits)
             VALUES ($1, $2, $3, $4, 1)`,
            [home, host, memberId, period],
          );
        }
      }
    });
    return { id, memberId };
  }

  /** What a visit left in the database: its row, history and ledger entries (network transaction). */
  async function traces(visitId: string) {
    return harness.db.transaction(async (tx) => ({
      visit: await createVisitQueries(tx).findById(visitId),
      changes: (
        await tx.query('SELECT to_status FROM reciprocal.visit_changes WHERE visit_id = $1', [visitId])
      ).rowCount,
      ledger: (
        await tx.query<{ id: string; fact: string; status: string }>(
          'SELECT id, fact, status FROM reciprocal.ledger_entries WHERE entity_id = $1',
          [visitId],
        )
      ).rows,
    }));
  }

  async function counts(memberId: string) {
    const { rows } = await harness.db.transaction((tx) =>
      tx.query<{ period: string; visits: number }>(
        'SELECT period, visits FROM reciprocal.visit_counts WHERE member_id = $1 ORDER BY period',
        [memberId],
      ),
    );
    return Object.fromEntries(rows.map((row) => [row.period, row.visits]));
  }

  it('checks a visit out with its costs split under the cost sharing, recorded, on the ledger and evented', async () => {
    const { id } = await seedVisit({ guests: 2 });
    const { visit } = await harness.visits.checkOut({
      caller: callerOf(hostStaff),
      visitId: id,
      facilitiesUsed: ['DINING', 'GYM'],
      facilityFees: 2000n,
      foodBeverage: 4550n,
      other: 300n,
      notes: 'left by taxi',
    });
    // Guest fee 2500 × (1 + 2) = 7500; covered: 7500 + 2000 = 9500 × 50% = 4750, under the 5000 cap.
    expect(visit?.status).toBe('CHECKED_OUT');
    expect(visit?.costs).toMatchObject({
      guestFee: 7500n,
      facilityFees: 2000n,
      foodBeverage: 4550n,
      other: 300n,
      total: 14_350n,
      currency: 'GBP',
      homeClubShare: 4750n,
      memberShare: 9600n,
    });
    expect(visit?.facilitiesUsed).toEqual(['DINING', 'GYM']);
    expect(visit?.checkedOutAt).toBeDefined();
    expect(visit?.currency).toBe('GBP');

    const after = await traces(id);
    expect(after.visit?.status).toBe('CHECKED_OUT');
    expect(after.visit?.notes).toBe('left by taxi');
    expect(after.changes).toBe(1);
    expect(after.ledger).toEqual([{ id: visit?.ledgerTxId, fact: 'visit.checked_out', status: 'PENDING' }]);
    expect(visit?.ledgerStatus).toBe('PENDING');
    await eventually(() =>
      expect(
        harness.published.find((event) => (event.data as { visitId?: string }).visitId === id)?.data,
      ).toMatchObject({
        visitId: id,
        homeClubId: home,
        hostClubId: host,
        from: 'CHECKED_IN',
        to: 'CHECKED_OUT',
        memberUserId: member.userId,
      }),
    );
  });

  it("follows the ledger's steps of the visit's entries: the furthest of those arriving together, never back", async () => {
    const visits = await Promise.all([seedVisit(), seedVisit()]);
    const entries: { id: string; entityId: string }[] = [];
    for (const { id } of visits) {
      const { visit } = await harness.visits.checkOut({ caller: callerOf(hostStaff), visitId: id });
      entries.push({ id: visit!.ledgerTxId!, entityId: id });
    }
    const step = (entry: { id: string; entityId: string }, status: string, blockNumber: number | null) =>
      ledgerEntryStatusChanged.build(
        {
          tenantId: host,
          correlationId: null,
          data: {
            entryId: entry.id,
            entityKind: 'visit',
            entityId: entry.entityId,
            clubId: host,
            counterpartyClubId: home,
            status: status as 'SUBMITTED',
            blockNumber,
            at: '2026-03-14T11:00:00.000Z',
          },
        },
        { newId: uuidv7, clock: () => new Date() },
      );
    const [first, second] = entries as [{ id: string; entityId: string }, { id: string; entityId: string }];
    // Together: both steps of the first entry in one batch (one UPDATE applies one row per entry).
    await harness.bus.publish([
      step(first, 'SUBMITTED', null),
      step(first, 'CONFIRMED', 7),
      step(second, 'SUBMITTED', null),
    ]);
    const statusOf = async (visitId: string) => {
      const { visits } = await harness.visits.getVisits({ caller: callerOf(hostStaff), ids: [visitId] });
      return [visits[0]?.ledgerStatus, visits[0]?.ledgerBlockNumber];
    };
    await eventually(async () => {
      expect(await statusOf(first.entityId)).toEqual(['CONFIRMED', 7n]);
      expect(await statusOf(second.entityId)).toEqual(['SUBMITTED', undefined]);
    });
    // A late SUBMITTED, delivered again, does not move a confirmed entry back.
    await harness.bus.publish([step(first, 'SUBMITTED', null), step(second, 'CONFIRMED', 8)]);
    await eventually(async () => expect(await statusOf(second.entityId)).toEqual(['CONFIRMED', 8n]));
    expect(await statusOf(first.entityId)).toEqual(['CONFIRMED', 7n]);
  });

  it('refuses a check-out by anyone but the host desk, and facilities or currencies the agreement does not allow', async () => {
    const { id } = await seedVisit();
    const attempt = (caller: Principal, extra: { facilitiesUsed?: string[]; currency?: string } = {}) =>
      harness.visits.checkOut({ caller: callerOf(caller), visitId: id, ...extra });
    await expect(attempt(homeStaff)).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(attempt(member)).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(attempt(thirdStaff)).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(attempt(hostStaff, { facilitiesUsed: ['SPA'] })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'facilitiesUsed' },
    });
    await expect(attempt(hostStaff, { currency: 'USD' })).rejects.toMatchObject({
      details: { field: 'currency' },
    });
    const after = await traces(id);
    expect([after.visit?.status, after.changes, after.ledger]).toEqual(['CHECKED_IN', 0, []]);
  });

  it("gives a cancelled check-in's month and year counts back, in the same transaction; the member may cancel their own", async () => {
    const { id, memberId } = await seedVisit({ visitDate: '2026-04-02' });
    expect(await counts(memberId)).toEqual({ '2026': 1, '2026-04': 1 });
    await expect(
      harness.visits.cancelVisit({ caller: callerOf(otherMember), visitId: id, reason: 'not mine' }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    const { visit } = await harness.visits.cancelVisit({
      caller: callerOf(member),
      visitId: id,
      reason: 'checked in at the wrong club',
    });
    expect(visit?.status).toBe('CANCELLED');
    expect(visit?.statusReason).toBe('checked in at the wrong club');
    expect(await counts(memberId)).toEqual({ '2026': 0, '2026-04': 0 });
    expect((await traces(id)).ledger.map((entry) => entry.fact)).toEqual(['visit.cancelled']);
  });

  it("lets the home club's staff cancel; a planned visit's cancellation touches no counts", async () => {
    const { id, memberId } = await seedVisit({ status: 'PLANNED' });
    const { visit } = await harness.visits.cancelVisit({
      caller: callerOf(homeStaff),
      visitId: id,
      reason: 'trip off',
    });
    expect(visit?.status).toBe('CANCELLED');
    expect(await counts(memberId)).toEqual({});
    await expect(
      harness.visits.cancelVisit({ caller: callerOf(homeStaff), visitId: id, reason: '' }),
    ).rejects.toMatchObject({ code: 'request.invalid_input' });
  });

  it('marks a planned visit a no-show at the host desk', async () => {
    const { id } = await seedVisit({ status: 'PLANNED' });
    await expect(
      harness.visits.markNoShow({ caller: callerOf(homeStaff), visitId: id }),
    ).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    const { visit } = await harness.visits.markNoShow({
      caller: callerOf(hostStaff),
      visitId: id,
      reason: '',
    });
    expect(visit?.status).toBe('NO_SHOW');
    expect((await traces(id)).ledger.map((entry) => entry.fact)).toEqual(['visit.no_show']);
  });

  it('refuses transitions the lifecycle forbids and changes nothing: no row, history, count, ledger entry or event', async () => {
    const { id, memberId } = await seedVisit();
    const { id: done } = await seedVisit();
    await harness.visits.checkOut({ caller: callerOf(hostStaff), visitId: done });
    // Every event written so far has left the outbox before counting.
    await eventually(() =>
      expect(harness.published.some((event) => (event.data as { visitId?: string }).visitId === done)).toBe(
        true,
      ),
    );
    const before = { open: await traces(id), done: await traces(done), counts: await counts(memberId) };
    const eventsBefore = harness.published.length;

    await expect(
      harness.visits.markNoShow({ caller: callerOf(hostStaff), visitId: id }),
    ).rejects.toMatchObject({
      code: 'visit.transition_refused',
      details: { from: 'CHECKED_IN', to: 'NO_SHOW' },
    });
    await expect(
      harness.visits.checkOut({ caller: callerOf(hostStaff), visitId: done }),
    ).rejects.toMatchObject({
      code: 'visit.transition_refused',
    });
    await expect(
      harness.visits.cancelVisit({ caller: callerOf(hostStaff), visitId: done, reason: 'too late' }),
    ).rejects.toMatchObject({ code: 'visit.transition_refused' });

    expect({ open: await traces(id), done: await traces(done), counts: await counts(memberId) }).toEqual(
      before,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(harness.published.length).toBe(eventsBefore);
  });

  describe('lists', () => {
    let club: { traveller: string[] };
    let reverseId: string;

    beforeAll(async () => {
      // A visit the other way round: a member of the host club at the home club.
      reverseId = uuidv7();
      const now = new Date();
      await harness.db.withTenant(home, (tx) =>
        createVisitQueries(tx).insert({
          id: reverseId,
          homeClubId: host,
          hostClubId: home,
          memberId: uuidv7(),
          memberUserId: null,
          agreementId,
          letterId: null,
          status: 'CHECKED_IN',
          guestCount: 0,
          purpose: null,
          identifiedBy: 'NUMBER',
          visitDate: '2026-05-20',
          nights: 0,
          checkedInAt: now,
          checkedOutAt: null,
          facilitiesUsed: [],
          costs: null,
          notes: null,
          statusReason: null,
          createdBy: homeStaff.userId,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const traveller = principalWith('MEMBER', home);
      const first = await seedVisit({ who: traveller, visitDate: '2026-06-01' });
      const second = await seedVisit({ who: traveller, visitDate: '2026-06-10', status: 'PLANNED' });
      club = { traveller: [second.id, first.id] };
      travellerPrincipal = traveller;
    });
    let travellerPrincipal: Principal;

    it("shows the host its desk's visits, the home club its members' travels, and both sides together", async () => {
      const asHost = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        side: 'HOST',
        pageSize: 100,
      });
      const asHome = await harness.visits.listVisits({
        caller: callerOf(homeStaff),
        clubId: home,
        side: 'HOME',
        pageSize: 100,
      });
      const both = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        pageSize: 100,
      });
      expect(asHost.visits.every((visit) => visit.hostClubId === host)).toBe(true);
      expect(asHost.visits.map((visit) => visit.id)).not.toContain(reverseId);
      expect(asHome.visits.every((visit) => visit.homeClubId === home)).toBe(true);
      expect(both.visits.map((visit) => visit.id)).toContain(reverseId);
      expect(both.total).toBe(asHost.total + 1);
      const homeAsHost = await harness.visits.listVisits({
        caller: callerOf(homeStaff),
        clubId: home,
        side: 'HOST',
      });
      expect(homeAsHost.visits.map((visit) => visit.id)).toEqual([reverseId]);
    });

    it('filters by status and by visit date, pages newest first with the total', async () => {
      const checkedOut = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        side: 'HOST',
        status: 'CHECKED_OUT',
      });
      expect(checkedOut.total).toBeGreaterThan(0);
      expect(checkedOut.visits.every((visit) => visit.status === 'CHECKED_OUT')).toBe(true);
      const june = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        from: '2026-06-01',
        to: '2026-06-30',
      });
      expect(june.visits.map((visit) => visit.id)).toEqual(club.traveller);
      const all = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        pageSize: 100,
      });
      const pageTwo = await harness.visits.listVisits({
        caller: callerOf(hostStaff),
        clubId: host,
        page: 2,
        pageSize: 3,
      });
      expect(pageTwo.total).toBe(all.total);
      expect(pageTwo.visits.map((visit) => visit.id)).toEqual(
        all.visits.slice(3, 6).map((visit) => visit.id),
      );
      await expect(
        harness.visits.listVisits({ caller: callerOf(hostStaff), clubId: host, from: '2026-13-01' }),
      ).rejects.toMatchObject({ details: { field: 'from' } });
    });

    it("refuses a club's list to anyone without visit:manage there, and shows a third club none of it", async () => {
      await expect(
        harness.visits.listVisits({ caller: callerOf(member), clubId: home }),
      ).rejects.toMatchObject({
        code: 'request.forbidden',
      });
      await expect(
        harness.visits.listVisits({ caller: callerOf(thirdStaff), clubId: host }),
      ).rejects.toMatchObject({
        code: 'request.forbidden',
      });
      const own = await harness.visits.listVisits({ caller: callerOf(thirdStaff), clubId: third });
      expect(own).toMatchObject({ visits: [], total: 0 });
      const { visits } = await harness.visits.getVisits({
        caller: callerOf(thirdStaff),
        ids: club.traveller,
      });
      expect(visits).toEqual([]);
    });

    it("gives the member their own visits across clubs and nobody else's", async () => {
      const mine = await harness.visits.listMyVisits({ caller: callerOf(travellerPrincipal) });
      expect(mine.visits.map((visit) => visit.id)).toEqual(club.traveller);
      expect(mine.total).toBe(2);
      const planned = await harness.visits.listMyVisits({
        caller: callerOf(travellerPrincipal),
        status: 'PLANNED',
      });
      expect(planned.visits.map((visit) => visit.id)).toEqual([club.traveller[0]]);
      const theirs = await harness.visits.listMyVisits({ caller: callerOf(otherMember) });
      expect(theirs.visits.map((visit) => visit.id)).not.toContain(club.traveller[0]);
      const got = await harness.visits.getVisits({
        caller: callerOf(travellerPrincipal),
        ids: [...club.traveller, reverseId],
      });
      expect(got.visits.map((visit) => visit.id)).toEqual(club.traveller);
      const byStaff = await harness.visits.getVisits({
        caller: callerOf(homeStaff),
        ids: [...club.traveller, reverseId],
      });
      expect(byStaff.visits).toHaveLength(3);
    });
  });
});
