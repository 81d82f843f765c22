import type { Principal } from '@clubland/authz';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import { ClubStatus } from '@clubland/contract/member/v1';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReciprocalService } from '../src/index.ts';
import {
  callerOf,
  eventually,
  networkAdminCaller,
  principalWith,
  type ReciprocalServiceHarness,
  setupReciprocalService,
} from './setup.ts';

/**
 * Issue 30, item 1, through the service's RPC: the agreement lifecycle with its permissions, and
 * what each transition leaves behind (history, ledger entry, event). A refused transition changes
 * nothing. The schedule is driven by the harness's clock.
 */
describe('reciprocal agreements through RPC', () => {
  let harness: ReciprocalServiceHarness;
  let now = new Date('2026-06-15T10:00:00Z');
  const clock = () => now;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  let adminA: Principal;
  let adminB: Principal;
  let adminC: Principal;
  let staffB: Principal;

  beforeAll(async () => {
    harness = await setupReciprocalService({ clock });
    clubA = await harness.seedClub('Athenaeum');
    clubB = await harness.seedClub('Brooks');
    clubC = await harness.seedClub('Carlton');
    adminA = principalWith('CLUB_ADMIN', clubA);
    adminB = principalWith('CLUB_ADMIN', clubB);
    adminC = principalWith('CLUB_ADMIN', clubC);
    staffB = principalWith('STAFF', clubB);
  });
  afterAll(() => harness.close());

  const propose = (partnerClubId: string, extra: Record<string, unknown> = {}) =>
    harness.agreements.proposeAgreement({
      caller: callerOf(adminA),
      partnerClubId,
      agreementType: 'BILATERAL',
      startsOn: '2026-06-01',
      endsOn: '2026-12-31',
      terms: {
        maxVisitsPerMonth: 4,
        blackoutDates: { values: ['2026-12-25'] },
        costSharing: { guestFee: 2500n, currency: 'GBP', guestFeeCovered: true },
      },
      notes: 'summer exchange',
      ...extra,
    });
  const act = (principal: Principal, id: string, reason = '') => ({
    caller: callerOf(principal),
    id,
    reason,
  });
  const statusOf = async (id: string) =>
    (await harness.agreements.getAgreement({ caller: callerOf(adminA), id })).agreement?.status;
  const ledger = (id: string) =>
    harness.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ fact: string; status: string; clubId: string; payload: string }>(
        `SELECT fact, status, club_id AS "clubId", payload FROM reciprocal.ledger_entries
          WHERE entity_id = $1 ORDER BY created_at, fact`,
        [id],
      );
      return rows;
    });

  let agreementId = '';
  /** The agreement.status_changed events published about one agreement, parsed by the contract's schema. */
  const eventsAbout = (id: string) =>
    harness.published
      .filter((event) => event.type === 'agreement.status_changed')
      .map((event) => agreementStatusChanged.schema.parse(event.data))
      .filter((data) => data.agreementId === id);

  it('proposes a draft with its terms filled and checked, then submits it', async () => {
    const { agreement } = await propose(clubB);
    agreementId = agreement!.id;
    expect(agreement).toMatchObject({
      proposerClubId: clubA,
      partnerClubId: clubB,
      status: 'DRAFT',
      startsOn: '2026-06-01',
      endsOn: '2026-12-31',
      notes: 'summer exchange',
    });
    expect(agreement!.terms).toMatchObject({
      maxVisitsPerMonth: 4,
      guestsPerVisit: 1,
      blackoutDates: ['2026-12-25'],
      costSharing: { guestFee: 2500n, currency: 'GBP', guestFeeCovered: true, percentageCovered: 100 },
    });
    const submitted = await harness.agreements.submitAgreement(act(adminA, agreementId));
    expect(submitted.agreement?.status).toBe('PENDING');
  });

  it('lets only the partner approve: the proposer is refused and nothing changes', async () => {
    const before = await ledger(agreementId);
    await expect(harness.agreements.approveAgreement(act(adminA, agreementId))).rejects.toMatchObject({
      code: 'agreement.not_your_decision',
    });
    await expect(harness.agreements.approveAgreement(act(staffB, agreementId))).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(
      harness.agreements.approveAgreement({ caller: networkAdminCaller(), id: agreementId, reason: '' }),
    ).rejects.toMatchObject({ code: 'agreement.not_your_decision' });
    expect(await statusOf(agreementId)).toBe('PENDING');
    expect(await ledger(agreementId)).toEqual(before);
  });

  it(`hides the agreement from a third club: C's admin neither sees nor decides it`, async () => {
    await expect(
      harness.agreements.getAgreement({ caller: callerOf(adminC), id: agreementId }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(harness.agreements.approveAgreement(act(adminC, agreementId))).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    await expect(
      harness.agreements.approveAgreement({ ...act(adminC, agreementId), clubId: clubB }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const listed = await harness.agreements.listAgreements({ caller: callerOf(adminC) });
    expect(listed.agreements.map((row) => row.id)).not.toContain(agreementId);
    expect(listed.total).toBe(0);
    expect(await statusOf(agreementId)).toBe('PENDING');
  });

  it('becomes ACTIVE when the partner approves after its start date, recorded as two transitions', async () => {
    const { agreement } = await harness.agreements.approveAgreement(act(adminB, agreementId));
    expect(agreement?.status).toBe('ACTIVE');
    const facts = (await ledger(agreementId)).map((entry) => entry.fact);
    expect([...facts].sort()).toEqual([
      'agreement.activated',
      'agreement.approved',
      'agreement.proposed',
      'agreement.submitted',
    ]);
    expect((await ledger(agreementId)).every((entry) => entry.status === 'PENDING')).toBe(true);
    const approved = (await ledger(agreementId)).find((entry) => entry.fact === 'agreement.approved')!;
    expect(approved.clubId).toBe(clubB);
    expect(JSON.parse(approved.payload)).toMatchObject({ to: 'APPROVED', terms: { maxVisitsPerMonth: 4 } });
  });

  it('refuses a second live agreement for the same pair, whichever club proposes', async () => {
    await expect(propose(clubB)).rejects.toMatchObject({ code: 'agreement.already_live' });
    await expect(
      harness.agreements.proposeAgreement({
        caller: callerOf(adminB),
        partnerClubId: clubA,
        agreementType: 'TEMPORARY',
      }),
    ).rejects.toMatchObject({ code: 'agreement.already_live' });
    const listed = await harness.agreements.listAgreements({ caller: callerOf(adminA) });
    expect(listed.total).toBe(1);
  });

  it('admits exactly one of two proposals for one pair made at the same moment', async () => {
    const clubD = await harness.seedClub('Drones');
    const adminD = principalWith('CLUB_ADMIN', clubD);
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => propose(clubD)),
      ...Array.from({ length: 4 }, () =>
        harness.agreements.proposeAgreement({
          caller: callerOf(adminD),
          partnerClubId: clubA,
          agreementType: 'BILATERAL',
        }),
      ),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ code: 'agreement.already_live' });
    }
    const listed = await harness.agreements.listAgreements({ caller: callerOf(adminD) });
    expect(listed.total).toBe(1);
  });

  it('refuses a proposal to a club that is not ACTIVE', async () => {
    const clubE = await harness.seedClub('Eccentric');
    await harness.memberService.clubRegistry.setClubStatus({
      caller: networkAdminCaller(),
      clubId: clubE,
      status: ClubStatus.SUSPENDED,
      reason: 'dues to the network unpaid',
    });
    await expect(propose(clubE)).rejects.toMatchObject({ code: 'agreement.partner_not_active' });
  });

  it('names the bad field of a proposal and writes nothing', async () => {
    await expect(propose(clubC, { terms: { maxVisitsPerMonth: 0 } })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'terms.maxVisitsPerMonth' },
    });
    await expect(propose(clubC, { endsOn: '2026-05-01' })).rejects.toMatchObject({
      details: { field: 'endsOn' },
    });
    await expect(propose(clubC, { agreementType: 'FOREVER' })).rejects.toMatchObject({
      details: { field: 'agreementType' },
    });
    await expect(propose('0190a4c3-0000-7000-8000-000000000000')).rejects.toMatchObject({
      details: { field: 'partnerClubId' },
    });
    await expect(propose(clubA)).rejects.toMatchObject({ details: { field: 'partnerClubId' } });
    const listed = await harness.agreements.listAgreements({ caller: callerOf(adminC) });
    expect(listed.total).toBe(0);
  });

  it('suspends with a reason from either side; only the suspending side reinstates', async () => {
    await expect(harness.agreements.suspendAgreement(act(adminB, agreementId))).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'reason' },
    });
    const suspended = await harness.agreements.suspendAgreement(act(adminB, agreementId, 'fees unpaid'));
    expect(suspended.agreement).toMatchObject({ status: 'SUSPENDED', statusReason: 'fees unpaid' });
    await expect(harness.agreements.reinstateAgreement(act(adminA, agreementId))).rejects.toMatchObject({
      code: 'agreement.not_your_decision',
    });
    const reinstated = await harness.agreements.reinstateAgreement(act(adminB, agreementId));
    expect(reinstated.agreement).toMatchObject({ status: 'ACTIVE', statusReason: '' });
  });

  it('refuses to cancel an agreement in force; the proposer terminates it', async () => {
    await expect(harness.agreements.cancelAgreement(act(adminA, agreementId))).rejects.toMatchObject({
      code: 'agreement.transition_refused',
    });
    const ended = await harness.agreements.terminateAgreement(act(adminA, agreementId, 'merger'));
    expect(ended.agreement?.status).toBe('TERMINATED');
    await expect(harness.agreements.reinstateAgreement(act(adminA, agreementId))).rejects.toMatchObject({
      code: 'agreement.transition_refused',
    });
  });

  it('keeps the whole history, readable by the partner’s front-desk staff', async () => {
    const { changes } = await harness.agreements.listAgreementChanges({
      caller: callerOf(staffB),
      id: agreementId,
    });
    expect(changes.map((change) => `${change.fromStatus || '-'}>${change.toStatus}`)).toEqual([
      '-' + '>DRAFT',
      'DRAFT>PENDING',
      'PENDING>APPROVED',
      'APPROVED>ACTIVE',
      'ACTIVE>SUSPENDED',
      'SUSPENDED>ACTIVE',
      'ACTIVE>TERMINATED',
    ]);
    expect(changes[2]).toMatchObject({ changedBy: adminB.userId, changedByClubId: clubB });
    expect(changes[3]).toMatchObject({ changedBy: '', changedByClubId: '' });
    expect(changes[4]).toMatchObject({ reason: 'fees unpaid' });
    await expect(
      harness.agreements.listAgreementChanges({ caller: callerOf(adminC), id: agreementId }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
  });

  it('publishes every transition as agreement.status_changed, naming both clubs', async () => {
    await eventually(() => {
      const mine = eventsAbout(agreementId);
      expect(mine.map((data) => data.to)).toEqual([
        'DRAFT',
        'PENDING',
        'APPROVED',
        'ACTIVE',
        'SUSPENDED',
        'ACTIVE',
        'TERMINATED',
      ]);
      for (const data of mine) {
        expect([data.proposerClubId, data.partnerClubId]).toEqual([clubA, clubB]);
      }
    });
  });

  it('lets the proposer cancel before the agreement is in force, and then a new one may be proposed', async () => {
    const { agreement } = await propose(clubB, { submit: true, startsOn: '2026-09-01' });
    expect(agreement?.status).toBe('PENDING');
    await expect(harness.agreements.cancelAgreement(act(adminB, agreement!.id))).rejects.toMatchObject({
      code: 'agreement.not_your_decision',
    });
    const cancelled = await harness.agreements.cancelAgreement(
      act(adminA, agreement!.id, 'changed our mind'),
    );
    expect(cancelled.agreement?.status).toBe('CANCELLED');
  });

  it('lets the proposer change terms while pending, not the partner, not after the decision', async () => {
    const { agreement } = await propose(clubB, {
      submit: true,
      startsOn: '2026-07-01',
      endsOn: '2026-08-31',
    });
    const id = agreement!.id;
    const updated = await harness.agreements.updateAgreementTerms({
      caller: callerOf(adminA),
      id,
      terms: { maxVisitsPerMonth: 6, clear: ['max_visits_per_year'] },
      endsOn: '',
    });
    expect(updated.agreement).toMatchObject({ endsOn: '', terms: { maxVisitsPerMonth: 6 } });
    await expect(
      harness.agreements.updateAgreementTerms({
        caller: callerOf(adminB),
        id,
        terms: { maxVisitsPerMonth: 9 },
      }),
    ).rejects.toMatchObject({ code: 'agreement.not_your_decision' });
    await harness.agreements.updateAgreementTerms({
      caller: callerOf(adminA),
      id,
      endsOn: '2026-08-31',
    });
    // Approved before its start: APPROVED until the schedule starts it.
    expect((await harness.agreements.approveAgreement(act(adminB, id))).agreement?.status).toBe('APPROVED');
    await expect(
      harness.agreements.updateAgreementTerms({
        caller: callerOf(adminA),
        id,
        terms: { maxVisitsPerMonth: 1 },
      }),
    ).rejects.toMatchObject({ code: 'agreement.transition_refused' });
    agreementId = id;
  });

  it('starts and ends agreements by their dates on the schedule, as the system', async () => {
    expect((await harness.service.runAgreementSchedule()).activated).toEqual([]);
    now = new Date('2026-07-01T00:00:01Z');
    expect(await harness.service.runAgreementSchedule()).toEqual({ activated: [agreementId], expired: [] });
    expect(await statusOf(agreementId)).toBe('ACTIVE');
    now = new Date('2026-08-31T23:59:59Z');
    expect(await harness.service.runAgreementSchedule()).toEqual({ activated: [], expired: [] });
    now = new Date('2026-09-01T00:00:00Z');
    expect(await harness.service.runAgreementSchedule()).toEqual({ activated: [], expired: [agreementId] });
    expect(await statusOf(agreementId)).toBe('EXPIRED');
    const { changes } = await harness.agreements.listAgreementChanges({
      caller: callerOf(adminA),
      id: agreementId,
    });
    expect(changes.slice(-2)).toMatchObject([
      { toStatus: 'ACTIVE', changedBy: '', changedByClubId: '' },
      { toStatus: 'EXPIRED', changedBy: '', changedByClubId: '' },
    ]);
    const facts = (await ledger(agreementId)).map((entry) => entry.fact);
    expect(facts).toContain('agreement.activated');
    expect(facts).toContain('agreement.expired');
    await eventually(() =>
      expect(eventsAbout(agreementId).some((data) => data.to === 'EXPIRED' && data.changedBy === null)).toBe(
        true,
      ),
    );
  });

  it('runs the schedule on its interval once started, and stops with the service', async () => {
    const { agreement } = await propose(clubB, { submit: true, startsOn: '2026-10-01', endsOn: null });
    const id = agreement!.id;
    await harness.agreements.approveAgreement(act(adminB, id));
    now = new Date('2026-10-01T06:00:00Z');
    const ticking = await createReciprocalService({
      ...harness.serviceOptions,
      log: pino({ level: 'silent' }),
      clubs: { describe: async () => new Map() },
      clock,
      agreementScheduleIntervalMs: 20,
    });
    await ticking.start();
    try {
      await expect.poll(() => statusOf(id), { timeout: 30_000 }).toBe('ACTIVE');
    } finally {
      await ticking.stop();
    }
    await harness.agreements.terminateAgreement(act(adminA, id, 'tidy up'));
  });

  it('lists a club’s agreements by status, a page at a time, with the total', async () => {
    const all = await harness.agreements.listAgreements({ caller: callerOf(adminB), pageSize: 2, page: 1 });
    expect(all.total).toBe(4);
    expect(all.agreements).toHaveLength(2);
    const second = await harness.agreements.listAgreements({
      caller: callerOf(adminB),
      pageSize: 2,
      page: 2,
    });
    expect(second.agreements).toHaveLength(2);
    const beyond = await harness.agreements.listAgreements({
      caller: callerOf(adminB),
      pageSize: 2,
      page: 3,
    });
    expect(beyond).toMatchObject({ agreements: [], total: 4 });
    const expired = await harness.agreements.listAgreements({ caller: callerOf(staffB), status: 'EXPIRED' });
    expect(expired.agreements.map((row) => row.id)).toEqual([agreementId]);
    await expect(
      harness.agreements.listAgreements({ caller: callerOf(principalWith('MEMBER', clubB)) }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });
});
