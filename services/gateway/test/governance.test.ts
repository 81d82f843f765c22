import type { AddressInfo } from 'node:net';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROPOSAL_UPDATED_TOPIC, VOTE_RECEIVED_TOPIC } from '../src/subscriptions.ts';
import {
  type Account,
  data,
  errorOf,
  mobileOperation,
  PASSWORD,
  reciprocalFixtures,
} from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const SUBMIT = 'mutation($id: ID!) { submitProposal(id: $id) { id status } }';
const OPEN = 'mutation($id: ID!) { approveProposalForVoting(id: $id) { id status } }';

/**
 * The mobile client's governance operations (governance/*, subscriptions/proposal_updated and
 * vote_received), exactly as the app sends them, through the gateway to the real governance service
 * and the member service behind it: three clubs' officers (club administrators who are ACTIVE
 * members of their clubs), a plain member, the network administrator.
 */
describe("the mobile client's governance operations", () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  let officers: (Account & { memberId: string })[];
  let plainMember: Account;
  const clubs: string[] = [];
  const HOUR = 3_600_000;

  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    harness = await setupGateway();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    const fx = reciprocalFixtures(harness);
    officers = [];
    for (const [index, name] of ['London Club', 'Paris Cercle', 'Lisbon Gremio'].entries()) {
      const clubId = await fx.club(name);
      clubs.push(clubId);
      const admin = await fx.account(clubId, { role: 'CLUB_ADMIN' });
      const member = await fx.member(clubId, admin.as, {
        memberNumber: `GOV-${index + 1}`,
        firstName: ['Henry', 'Amélie', 'Rui'][index]!,
        lastName: ['Wotton', 'Poulain', 'Costa'][index]!,
      });
      // The club's officer: an ACTIVE member who holds CLUB_ADMIN there, signed in afresh.
      await data(harness.asNetworkAdmin(GRANT, { userId: member.userId, role: 'CLUB_ADMIN', clubId }));
      const { login } = await data(
        harness.post(LOGIN, { input: { email: member.email, password: PASSWORD } }),
      );
      officers.push({ ...member, token: login.token, as: harness.as(login.token) });
      if (index === 1) {
        plainMember = await fx.member(clubId, admin.as, {
          memberNumber: 'GOV-M',
          firstName: 'Marie',
          lastName: 'Curie',
        });
      }
    }
  }, 240_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('creates, opens, votes on and closes a proposal, the subscriptions following it', async () => {
    const [london, paris, lisbon] = officers as [
      Account & { memberId: string },
      Account & { memberId: string },
      Account & { memberId: string },
    ];
    const now = Date.now();
    const { createProposal } = await data(
      london.as(mobileOperation('governance/create_proposal'), {
        input: {
          title: 'Admit golf clubs to the network',
          description: 'Golf clubs may join from the next season, on the same terms as city clubs.',
          type: 'MEMBERSHIP',
          category: 'Network membership',
          votingStartTime: new Date(now - HOUR).toISOString(),
          votingEndTime: new Date(now + 72 * HOUR).toISOString(),
          votingMethod: 'TWO_THIRDS_MAJORITY',
          quorumRequired: 3,
        },
      }),
    );
    expect(createProposal).toMatchObject({
      status: 'DRAFT',
      type: 'MEMBERSHIP',
      votingMethod: 'TWO_THIRDS_MAJORITY',
      quorumRequired: 3,
      approvalThreshold: 0.5,
    });
    const id: string = createProposal.id;
    // Another club does not see a draft.
    expect((await data(paris.as(mobileOperation('governance/proposal'), { id }))).proposal).toBeNull();
    await data(london.as(SUBMIT, { id }));
    // Only the network opens the vote.
    expect((await errorOf(london.as(OPEN, { id }))).code).toBe('FORBIDDEN');
    await data(harness.asNetworkAdmin(OPEN, { id }));

    // Paris follows the proposal (graphql-ws) and every vote (the legacy subprotocol).
    const updates: { proposalUpdated: { id: string; status: string; votes: { choice: string }[] } }[] = [];
    const votesSeen: {
      voteReceived: { proposalId: string; choice: string; voter: { username: null } | null };
    }[] = [];
    const errors: unknown[] = [];
    const follower = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${paris.token}`, client: 'flutter', version: '1.0.0' },
    });
    follower.subscribe<(typeof updates)[number]>(
      { query: mobileOperation('subscriptions/proposal_updated'), variables: { proposalId: id } },
      {
        next: (message) => (message.data ? updates.push(message.data) : errors.push(message.errors)),
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    const legacy = new SubscriptionClient(
      wsUrl,
      { connectionParams: { authorization: paris.token } },
      WebSocket,
    );
    legacy.request({ query: mobileOperation('subscriptions/vote_received') }).subscribe({
      next: (message) =>
        message.data
          ? votesSeen.push(message.data as unknown as (typeof votesSeen)[number])
          : errors.push(message.errors),
      error: (error) => errors.push(error),
    });
    await until(
      () =>
        harness.subscriptionListenerCount(PROPOSAL_UPDATED_TOPIC) >= 1 &&
        harness.subscriptionListenerCount(VOTE_RECEIVED_TOPIC) >= 1,
    );

    const listed = await data(
      paris.as(mobileOperation('governance/proposals'), {
        status: 'VOTING_OPEN',
        pagination: { page: 1, pageSize: 10 },
      }),
    );
    expect(listed.proposals.nodes.map((node: { id: string }) => node.id)).toContain(id);
    expect(listed.proposals.pageInfo).toMatchObject({ page: 1, pageSize: 10, hasPrevPage: false });

    const cast = (officer: Account, voteValue: string, extra: Record<string, unknown> = {}) =>
      officer.as(mobileOperation('governance/cast_vote'), { input: { proposalId: id, voteValue, ...extra } });
    const { castVote } = await data(cast(london, 'YAY', { comments: 'Long overdue' }));
    expect(castVote).toMatchObject({
      proposalId: id,
      voterId: london.memberId,
      voteValue: 'YAY',
      weight: 1,
      comments: 'Long overdue',
      isAnonymous: false,
      voter: { id: london.memberId, firstName: 'Henry', lastName: 'Wotton' },
    });
    await data(cast(paris, 'YAY', { isAnonymous: true }));
    // A plain member holds no governance:vote; a club votes once.
    expect(
      (
        await errorOf(
          plainMember.as(mobileOperation('governance/cast_vote'), {
            input: { proposalId: id, voteValue: 'NAY' },
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect((await errorOf(cast(paris, 'NAY'))).code).toBe('CONFLICT');
    await data(cast(lisbon, 'NAY'));

    // Lisbon reads it: the tally, every club's vote, Paris's officer hidden (anonymous), London's
    // officer and the proposer not Lisbon's to see (another club's members).
    const { proposal } = await data(lisbon.as(mobileOperation('governance/proposal'), { id }));
    expect(proposal).toMatchObject({
      status: 'VOTING_OPEN',
      totalVotes: 3,
      votesYay: 2,
      votesNay: 1,
      votesAbstain: 0,
      proposer: null,
    });
    expect(proposal.votes).toHaveLength(3);
    const voters = Object.fromEntries(
      proposal.votes.map(
        (vote: { voteValue: string; isAnonymous: boolean; voter: { firstName: string } | null }) => [
          vote.isAnonymous ? 'paris' : vote.voteValue === 'NAY' ? 'lisbon' : 'london',
          vote.voter?.firstName ?? null,
        ],
      ),
    );
    // Lisbon's officer sees himself, not the officers of other clubs.
    expect(voters).toEqual({ london: null, paris: null, lisbon: 'Rui' });
    // London's own officer sees the proposer, their own member.
    const asLondon = await data(london.as(mobileOperation('governance/proposal'), { id }));
    expect(asLondon.proposal.proposer).toMatchObject({
      id: london.memberId,
      firstName: 'Henry',
      email: expect.any(String),
    });

    const { myVotes } = await data(
      paris.as(mobileOperation('governance/my_votes'), { pagination: { page: 1, pageSize: 20 } }),
    );
    expect(myVotes.nodes).toMatchObject([{ proposalId: id, voteValue: 'YAY', isAnonymous: true }]);
    expect(myVotes.pageInfo).toMatchObject({ total: 1, totalPages: 1, hasNextPage: false });

    // Before the end time the proposing club may not close it; the network may.
    expect((await errorOf(london.as(mobileOperation('governance/close_proposal_voting'), { id }))).code).toBe(
      'FORBIDDEN',
    );
    const { closeProposalVoting } = await data(
      harness.asNetworkAdmin(mobileOperation('governance/close_proposal_voting'), { id }),
    );
    // 2 of 3 is two thirds: carried.
    expect(closeProposalVoting).toEqual({ id, status: 'APPROVED' });

    await until(
      () => updates.some((update) => update.proposalUpdated.status === 'APPROVED') && votesSeen.length >= 3,
    );
    expect(errors).toEqual([]);
    const last = updates.at(-1)!.proposalUpdated;
    expect(last).toMatchObject({ id, status: 'APPROVED' });
    expect(last.votes.map((vote) => vote.choice).sort()).toEqual(['NAY', 'YAY', 'YAY']);
    expect(votesSeen.map((seen) => seen.voteReceived.choice).sort()).toEqual(['NAY', 'YAY', 'YAY']);
    expect(
      votesSeen.every((seen) => seen.voteReceived.proposalId === id && seen.voteReceived.voter === null),
    ).toBe(true);
    // Every club's administrators were told of the vote opening and of its outcome (inbox and email).
    const titles = async (officer: Account) =>
      (
        (await data(officer.as('{ notifications(pagination: {pageSize: 50}) { nodes { title body } } }')))
          .notifications.nodes as { title: string; body: string }[]
      ).map((notice) => notice.title);
    for (const officer of [london, paris, lisbon])
      await until(async () => {
        const seen = await titles(officer);
        return (
          seen.includes('Network vote open: Admit golf clubs to the network') &&
          seen.includes('Network vote carried: Admit golf clubs to the network')
        );
      });
    // A plain member is not a club's officer: not told.
    expect((await titles(plainMember)).filter((title) => title.startsWith('Network vote'))).toEqual([]);

    // The decision and each vote are on the ledger: signed by the proposing and the voting club.
    const onLedger = async (entityType: string, entityId: string) =>
      (
        await data(
          harness.asNetworkAdmin(
            'query($t: String!, $e: String!) { blockchainTransaction(entityType: $t, entityId: $e) { status type blockNumber } }',
            { t: entityType, e: entityId },
          ),
        )
      ).blockchainTransaction as { status: string; type: string; blockNumber: number | null } | null;
    await until(async () => (await onLedger('proposal', id))?.status === 'CONFIRMED');
    expect(await onLedger('proposal', id)).toMatchObject({
      type: 'proposal.approved',
      blockNumber: expect.any(Number),
    });
    await until(async () => (await onLedger('vote', castVote.id))?.status === 'CONFIRMED');
    expect((await onLedger('vote', castVote.id))?.type).toBe('vote.cast');
    await follower.dispose();
    legacy.close();
  }, 120_000);

  it("runs a club's policies: written by its administrators, acknowledged by its members", async () => {
    const [london, paris] = officers as [Account & { memberId: string }, Account & { memberId: string }];
    const FIELDS = 'id name version isActive requiresAcknowledgment acknowledgedByMe approvedBy';
    const { createPolicy } = await data(
      paris.as(`mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { ${FIELDS} } }`, {
        input: {
          name: 'Tenue correcte',
          category: 'CONDUCT',
          content: 'Veste exigée au salon après 18 h.',
          version: '2027.1',
          effectiveDate: new Date(Date.now() - HOUR).toISOString(),
          requiresAcknowledgment: true,
        },
      }),
    );
    expect(createPolicy).toMatchObject({ isActive: false, approvedBy: null, acknowledgedByMe: false });
    const id: string = createPolicy.id;
    const unacknowledged = async () =>
      (await data(plainMember.as('{ unacknowledgedPolicies { id } }'))).unacknowledgedPolicies.map(
        (policy: { id: string }) => policy.id,
      );
    // Not yet in force: the members see nothing.
    expect(await unacknowledged()).toEqual([]);
    expect(
      (await errorOf(plainMember.as('mutation($id: ID!) { activatePolicy(id: $id) { id } }', { id }))).code,
    ).toBe('FORBIDDEN');
    await data(paris.as('mutation($id: ID!) { activatePolicy(id: $id) { id } }', { id }));
    expect(await unacknowledged()).toEqual([id]);
    // The members are asked to, in their inbox.
    await until(async () =>
      (
        (await data(plainMember.as('{ notifications(pagination: {pageSize: 50}) { nodes { title } } }')))
          .notifications.nodes as { title: string }[]
      ).some((notice) => notice.title === 'Please read and acknowledge: Tenue correcte'),
    );
    const { acknowledgePolicy } = await data(
      plainMember.as(
        'mutation($id: ID!) { acknowledgePolicy(policyId: $id) { policyId policyVersion policy { name } } }',
        {
          id,
        },
      ),
    );
    expect(acknowledgePolicy).toEqual({
      policyId: id,
      policyVersion: '2027.1',
      policy: { name: 'Tenue correcte' },
    });
    expect(await unacknowledged()).toEqual([]);
    expect(
      (await data(plainMember.as(`query($id: ID!) { policy(id: $id) { ${FIELDS} } }`, { id }))).policy,
    ).toMatchObject({
      isActive: true,
      acknowledgedByMe: true,
      approvedBy: paris.userId,
    });
    // The club's administrator sees who acknowledged; another club sees nothing of the policy.
    const { policyAcknowledgments } = await data(
      paris.as(
        'query($id: ID!) { policyAcknowledgments(policyId: $id) { nodes { member { firstName lastName } } pageInfo { total } } }',
        {
          id,
        },
      ),
    );
    expect(policyAcknowledgments).toEqual({
      nodes: [{ member: { firstName: 'Marie', lastName: 'Curie' } }],
      pageInfo: { total: 1 },
    });
    expect((await data(london.as('query($id: ID!) { policy(id: $id) { id } }', { id }))).policy).toBeNull();
    const refused = await errorOf(
      paris.as('mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { id } }', {
        input: {
          name: 'Backwards',
          category: 'OTHER',
          content: 'Ends before it starts.',
          version: '1',
          effectiveDate: new Date(Date.now() + 2 * HOUR).toISOString(),
          expiryDate: new Date(Date.now() + HOUR).toISOString(),
        },
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiryDate' });
  }, 60_000);

  it('refuses bad input with the field, as BAD_USER_INPUT', async () => {
    const now = Date.now();
    const refused = await errorOf(
      officers[0]!.as(mobileOperation('governance/create_proposal'), {
        input: {
          title: 'Backwards',
          description: 'Ends before it starts.',
          type: 'OTHER',
          votingStartTime: new Date(now + 5 * HOUR).toISOString(),
          votingEndTime: new Date(now + HOUR).toISOString(),
          quorumRequired: 1,
        },
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'votingEndTime' });
    const ranked = await errorOf(
      officers[0]!.as(mobileOperation('governance/create_proposal'), {
        input: {
          title: 'Board election',
          description: 'Three candidates.',
          type: 'BOARD_ELECTION',
          votingMethod: 'RANKED_CHOICE',
          votingStartTime: new Date(now).toISOString(),
          votingEndTime: new Date(now + HOUR).toISOString(),
          quorumRequired: 1,
        },
      }),
    );
    expect(ranked).toMatchObject({ code: 'BAD_USER_INPUT', field: 'votingMethod' });
  }, 60_000);
});
