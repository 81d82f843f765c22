import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@clubland/authz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerOf,
  eventually,
  type GovernanceHarness,
  networkAdminCaller,
  setupGovernanceService,
} from './setup.ts';

/** Network proposals and the clubs' votes through GovernanceService, on the real member service. */
describe('network governance: proposals and votes', () => {
  let harness: GovernanceHarness;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  let officerA: Principal & { memberId: string };
  let officerB: Principal & { memberId: string };
  let officerC: Principal & { memberId: string };
  const HOUR = 3_600_000;
  const network = networkAdminCaller();

  beforeAll(async () => {
    harness = await setupGovernanceService();
    [clubA, clubB, clubC] = await Promise.all([
      harness.seedClub('Proposing Club'),
      harness.seedClub('Second Club'),
      harness.seedClub('Third Club'),
    ]);
    [officerA, officerB, officerC] = await Promise.all([
      harness.officer(clubA),
      harness.officer(clubB),
      harness.officer(clubC),
    ]);
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function draft(fields: Record<string, unknown> = {}, by: Principal = officerA) {
    const now = harness.serviceOptions.clock!();
    const { proposal } = await harness.governance.createProposal({
      caller: callerOf(by),
      clubId: by.homeClubId!,
      fields: {
        title: 'Open the reciprocal network to golf clubs',
        description: 'Golf clubs may join as members of the network from next season.',
        proposalType: 'MEMBERSHIP',
        votingStartsAt: timestampFromDate(new Date(now.getTime() - HOUR)),
        votingEndsAt: timestampFromDate(new Date(now.getTime() + 48 * HOUR)),
        quorumRequired: 2,
        ...fields,
      },
    });
    return proposal!;
  }

  async function openedProposal(fields: Record<string, unknown> = {}) {
    const proposal = await draft(fields);
    await harness.governance.submitProposal({ caller: callerOf(officerA), id: proposal.id });
    await harness.governance.approveProposalForVoting({ caller: network, id: proposal.id });
    return proposal;
  }

  const vote = (
    officer: Principal,
    proposalId: string,
    choice: string,
    extra: Record<string, unknown> = {},
  ) => harness.governance.castVote({ caller: callerOf(officer), proposalId, choice, ...extra });

  it('goes DRAFT, SUBMITTED, VOTING_OPEN, and a tally decides it, recorded, evented and ledgered', async () => {
    const proposal = await draft();
    expect(proposal.status).toBe('DRAFT');
    const submitted = await harness.governance.submitProposal({
      caller: callerOf(officerA),
      id: proposal.id,
    });
    expect(submitted.proposal!.status).toBe('SUBMITTED');
    // Only the network opens the vote: neither the proposer nor another club.
    await expect(
      harness.governance.approveProposalForVoting({ caller: callerOf(officerA), id: proposal.id }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const opened = await harness.governance.approveProposalForVoting({ caller: network, id: proposal.id });
    expect(opened.proposal!.status).toBe('VOTING_OPEN');

    await vote(officerA, proposal.id, 'YAY');
    await vote(officerB, proposal.id, 'YAY', { comments: 'Good for the network' });
    await vote(officerC, proposal.id, 'NAY');
    // Before its end time the proposer may not close it (a proposer closing early could close while winning).
    await expect(
      harness.governance.closeProposalVoting({ caller: callerOf(officerA), id: proposal.id }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const closed = await harness.governance.closeProposalVoting({ caller: network, id: proposal.id });
    expect(closed.proposal).toMatchObject({
      status: 'APPROVED',
      totalVotes: 3,
      votesYay: 2,
      votesNay: 1,
      votesAbstain: 0,
    });
    expect(closed.proposal!.resolutionNotes).toContain('approved under SIMPLE_MAJORITY');

    await eventually(() => {
      const mine = harness.published.filter(
        (event) => (event.data as { proposalId?: string }).proposalId === proposal.id,
      );
      expect(
        mine
          .filter((event) => event.type === 'proposal.status_changed')
          .map((event) => (event.data as { to: string }).to),
      ).toEqual(['DRAFT', 'SUBMITTED', 'VOTING_OPEN', 'APPROVED']);
      expect(mine.filter((event) => event.type === 'vote.recorded')).toHaveLength(3);
      const ledger = harness.published
        .filter((event) => event.type === 'ledger.entry_requested')
        .map((event) => event.data as { fact: string; entityId: string; payload: string });
      expect(
        ledger.filter((entry) => entry.fact === 'vote.cast' && entry.payload.includes(proposal.id)),
      ).toHaveLength(3);
      expect(ledger.find((entry) => entry.entityId === proposal.id)?.fact).toBe('proposal.approved');
    });
    // Decided: no more votes.
    await expect(vote(officerA, proposal.id, 'NAY')).rejects.toMatchObject({ code: 'vote.not_open' });
  }, 60_000);

  it('keeps a DRAFT to its own club: another club neither reads nor lists it', async () => {
    const proposal = await draft({ title: 'A draft only we see' });
    await expect(
      harness.governance.getProposal({ caller: callerOf(officerB), id: proposal.id }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    const listedB = await harness.governance.listProposals({ caller: callerOf(officerB), pageSize: 100 });
    expect(listedB.proposals.map((p) => p.id)).not.toContain(proposal.id);
    const listedA = await harness.governance.listProposals({ caller: callerOf(officerA), pageSize: 100 });
    expect(listedA.proposals.map((p) => p.id)).toContain(proposal.id);
    // Another club's officer cannot edit, submit or delete it: to them it does not exist.
    // One at a time: a promise made before the one before it settles would reject unhandled.
    for (const attempt of [
      () => harness.governance.submitProposal({ caller: callerOf(officerB), id: proposal.id }),
      () => harness.governance.deleteProposal({ caller: callerOf(officerB), id: proposal.id }),
      () =>
        harness.governance.updateProposal({
          caller: callerOf(officerB),
          id: proposal.id,
          fields: { title: 'Ours' },
        }),
    ])
      await expect(attempt()).rejects.toMatchObject({ code: 'entity.not_found' });
    // Nor cite it in a policy of theirs.
    await expect(
      harness.policies.createPolicy({
        caller: callerOf(officerB),
        fields: {
          name: 'Citing a draft',
          category: 'GOVERNANCE',
          content: 'x',
          version: '1',
          effectiveDate: timestampFromDate(new Date()),
          relatedProposalId: proposal.id,
        },
      }),
    ).rejects.toMatchObject({ details: { field: 'relatedProposalId' } });
    // Its own club deletes it: it never was the network's.
    expect(
      (await harness.governance.deleteProposal({ caller: callerOf(officerA), id: proposal.id })).deleted,
    ).toBe(true);
  }, 60_000);

  it("lets no club write another club's rows, by row-level security", async () => {
    const proposal = await openedProposal({ title: 'RLS probe' });
    const { vote: cast } = await vote(officerB, proposal.id, 'ABSTAIN');
    // Club C's transaction reads the network's proposal and B's vote, but changes neither.
    await harness.db.withTenant(clubC, async (tx) => {
      const proposals = await tx.query(`SELECT id FROM governance.proposals WHERE id = $1`, [proposal.id]);
      expect(proposals.rows).toHaveLength(1);
      const updated = await tx.query(
        `UPDATE governance.proposals SET title = 'hijacked' WHERE id = $1 RETURNING id`,
        [proposal.id],
      );
      expect(updated.rows).toHaveLength(0);
      const changed = await tx.query(
        `UPDATE governance.votes SET choice = 'NAY' WHERE id = $1 RETURNING id`,
        [cast!.id],
      );
      expect(changed.rows).toHaveLength(0);
      const deleted = await tx.query(`DELETE FROM governance.votes WHERE id = $1 RETURNING id`, [cast!.id]);
      expect(deleted.rows).toHaveLength(0);
    });
    // Nor cast a vote in B's name.
    await expect(
      harness.db.withTenant(clubC, (tx) =>
        tx.query(
          `INSERT INTO governance.votes (id, proposal_id, club_id, proposer_club_id, choice, weight, is_anonymous,
             voter_user_id, voter_member_id, cast_at, created_at, updated_at)
           VALUES (gen_random_uuid(), $1, $2, $3, 'YAY', 1, false, $4, $5, now(), now(), now())`,
          [proposal.id, clubB, clubA, officerC.userId, officerC.memberId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const { proposal: after } = await harness.governance.getProposal({
      caller: callerOf(officerA),
      id: proposal.id,
      withVotes: true,
    });
    expect(after!.title).toBe('RLS probe');
    expect(after!.votesAbstain).toBe(1);
  }, 60_000);

  it('takes one vote per club, which its officers may change or withdraw while the vote is open', async () => {
    const proposal = await openedProposal({ title: 'One club, one vote' });
    const { vote: first } = await vote(officerB, proposal.id, 'NAY');
    await expect(vote(officerB, proposal.id, 'YAY')).rejects.toMatchObject({ code: 'vote.already_cast' });
    // A second officer of the same club: still one vote.
    const secondOfficer = await harness.officer(clubB);
    await expect(vote(secondOfficer, proposal.id, 'YAY')).rejects.toMatchObject({
      code: 'vote.already_cast',
    });
    const { vote: changed } = await harness.governance.updateVote({
      caller: callerOf(secondOfficer),
      id: first!.id,
      choice: 'YAY',
    });
    expect(changed).toMatchObject({ choice: 'YAY', voterMemberId: secondOfficer.memberId });
    // Another club's officer cannot touch it.
    await expect(
      harness.governance.updateVote({ caller: callerOf(officerC), id: first!.id, choice: 'NAY' }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    let { proposal: now } = await harness.governance.getProposal({
      caller: callerOf(officerA),
      id: proposal.id,
    });
    expect([now!.votesYay, now!.votesNay, now!.totalVotes]).toEqual([1, 0, 1]);
    expect((await harness.governance.deleteVote({ caller: callerOf(officerB), id: first!.id })).deleted).toBe(
      true,
    );
    ({ proposal: now } = await harness.governance.getProposal({
      caller: callerOf(officerA),
      id: proposal.id,
    }));
    expect(now!.totalVotes).toBe(0);
    // A plain member holds no governance:vote.
    const member = await harness.officer(clubC, 'MEMBER');
    await expect(vote(member, proposal.id, 'YAY')).rejects.toMatchObject({ code: 'request.forbidden' });
  }, 60_000);

  it('refuses votes outside the window, and its clock closes the vote at its end: below quorum, REJECTED', async () => {
    const now = harness.serviceOptions.clock!();
    const later = await openedProposal({
      title: 'Starts tomorrow',
      votingStartsAt: timestampFromDate(new Date(now.getTime() + 24 * HOUR)),
      votingEndsAt: timestampFromDate(new Date(now.getTime() + 26 * HOUR)),
      quorumRequired: 2,
    });
    await expect(vote(officerB, later.id, 'YAY')).rejects.toMatchObject({ code: 'vote.not_open' });
    harness.advance(25 * HOUR);
    await vote(officerB, later.id, 'YAY');
    harness.advance(2 * HOUR);
    await expect(vote(officerC, later.id, 'YAY')).rejects.toMatchObject({ code: 'vote.not_open' });
    const run = await harness.service.runProposalSchedule();
    expect(run.closed).toContain(later.id);
    const { proposal } = await harness.governance.getProposal({ caller: callerOf(officerC), id: later.id });
    expect(proposal).toMatchObject({ status: 'REJECTED', totalVotes: 1 });
    expect(proposal!.resolutionNotes).toContain('quorum not met: 1 of 2 clubs voted');
  }, 60_000);

  it('decides each proposal once when the network closes it while the schedule runs, without deadlock', async () => {
    const now = harness.serviceOptions.clock!();
    const proposals = [];
    for (let i = 0; i < 4; i++) {
      const proposal = await openedProposal({
        title: `Race ${i}`,
        votingEndsAt: timestampFromDate(new Date(now.getTime() + HOUR)),
        quorumRequired: 1,
      });
      await vote(officerB, proposal.id, 'YAY');
      proposals.push(proposal);
    }
    harness.advance(2 * HOUR);
    // The network closes each while the schedule (two instances' worth) takes them all.
    const outcomes = await Promise.allSettled([
      harness.service.runProposalSchedule(),
      ...proposals.map((proposal) =>
        harness.governance.closeProposalVoting({ caller: network, id: proposal.id }),
      ),
      harness.service.runProposalSchedule(),
    ]);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ code: 'proposal.transition_refused' });
    for (const proposal of proposals) {
      const decisions = await harness.db.transaction(async (tx) =>
        tx.query<{ to_status: string }>(
          `SELECT to_status FROM governance.proposal_changes WHERE proposal_id = $1 AND to_status IN ('APPROVED', 'REJECTED')`,
          [proposal.id],
        ),
      );
      expect(decisions.rows).toEqual([{ to_status: 'APPROVED' }]);
    }
  }, 60_000);

  it('expires a proposal the network never opened, at its voting end time', async () => {
    const now = harness.serviceOptions.clock!();
    const proposal = await draft({
      title: 'Never opened',
      votingEndsAt: timestampFromDate(new Date(now.getTime() + 2 * HOUR)),
    });
    await harness.governance.submitProposal({ caller: callerOf(officerA), id: proposal.id });
    harness.advance(3 * HOUR);
    const run = await harness.service.runProposalSchedule();
    expect(run.expired).toContain(proposal.id);
    const { proposal: expired } = await harness.governance.getProposal({
      caller: callerOf(officerB),
      id: proposal.id,
    });
    expect(expired!.status).toBe('EXPIRED');
  }, 60_000);

  it("hides an anonymous vote's officer from other clubs, never the club", async () => {
    const proposal = await openedProposal({ title: 'Secret officer' });
    await vote(officerB, proposal.id, 'YAY', { isAnonymous: true });
    const asC = await harness.governance.listVotes({ caller: callerOf(officerC), proposalId: proposal.id });
    expect(asC.votes[0]).toMatchObject({
      clubId: clubB,
      voterMemberId: '',
      voterUserId: '',
      isAnonymous: true,
    });
    const asB = await harness.governance.listVotes({ caller: callerOf(officerB), proposalId: proposal.id });
    expect(asB.votes[0]!.voterMemberId).toBe(officerB.memberId);
    const mine = await harness.governance.listMyVotes({ caller: callerOf(officerB) });
    expect(mine.votes.map((v) => v.proposalId)).toContain(proposal.id);
  }, 60_000);

  it("weighs a WEIGHTED vote by the club's ACTIVE members", async () => {
    const proposal = await openedProposal({ title: 'Weighted', votingMethod: 'WEIGHTED', quorumRequired: 1 });
    const { vote: cast } = await vote(officerC, proposal.id, 'YAY');
    const { totalCount } = await harness.memberService.members.listMembers({
      caller: callerOf(officerC),
      clubId: clubC,
      status: 2,
      pageSize: 1,
    });
    expect(totalCount).toBeGreaterThan(1);
    expect(cast!.weight).toBe(totalCount);
  }, 60_000);

  it('refuses bad input with the field, and writes nothing', async () => {
    const before = await harness.governance.listProposals({ caller: callerOf(officerA), pageSize: 100 });
    const now = harness.serviceOptions.clock!();
    await expect(
      draft({
        votingStartsAt: timestampFromDate(new Date(now.getTime() + 5 * HOUR)),
        votingEndsAt: timestampFromDate(new Date(now.getTime() + 4 * HOUR)),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'votingEndTime' } });
    await expect(draft({ votingMethod: 'RANKED_CHOICE' })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'votingMethod' },
    });
    await expect(draft({ quorumRequired: 0 })).rejects.toMatchObject({
      details: { field: 'quorumRequired' },
    });
    await expect(draft({ approvalThreshold: 1.5 })).rejects.toMatchObject({
      details: { field: 'approvalThreshold' },
    });
    await expect(draft({ proposalType: 'COUP' })).rejects.toMatchObject({ details: { field: 'type' } });
    await expect(draft({ title: '   ' })).rejects.toMatchObject({ details: { field: 'title' } });
    await expect(draft({ description: 'nul \u0000 byte' })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'description' },
    });
    await expect(
      draft({ setAttachments: true, attachments: ['http://example.org/minutes.pdf'] }),
    ).rejects.toMatchObject({
      details: { field: 'attachments' },
    });
    await expect(
      harness.governance.getProposal({ caller: callerOf(officerA), id: 'not-a-uuid' }),
    ).rejects.toMatchObject({ details: { field: 'id' } });
    const after = await harness.governance.listProposals({ caller: callerOf(officerA), pageSize: 100 });
    expect(after.total).toBe(before.total);
  }, 60_000);
});
