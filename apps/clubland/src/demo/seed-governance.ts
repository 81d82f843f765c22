import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { GovernanceService, Proposal } from '@clubland/contract/governance/v1';
import type { PolicyService } from '@clubland/contract/governance/v1/policies';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { Logger } from '@clubland/log';
import type { Client } from '@connectrpc/connect';
import { DEMO_POLICIES, DEMO_PROPOSALS, type DemoProposal } from './demo-network.ts';
import type { ClubActors } from './seed-reciprocal.ts';

/**
 * The governance side of the demo network, through the governance service's RPC client as the
 * clubs' officers and the network administrator would act: each proposal drafted by its club's
 * administrator, submitted and opened to the vote by the network administrator, the clubs' votes
 * cast by their administrators, and the decided one closed early by the network. Idempotent: a
 * proposal is found again by its title and only moved on along its demo path where an earlier run
 * stopped; a club's vote already cast is left as it is.
 */

export interface GovernanceClients {
  governance: Client<typeof GovernanceService>;
  policies: Client<typeof PolicyService>;
}

export interface GovernanceSeedOptions {
  clients: GovernanceClients;
  /** By slug, every demo club. */
  clubs: ReadonlyMap<string, ClubActors>;
  /** The network administrator, who opens votes and closes the decided one. */
  network: CallerContext;
  clock: () => Date;
  log: Logger;
}

export interface DemoGovernanceResult {
  proposals: { id: string; title: string; proposer: string; status: string; votes: number }[];
  policies: { id: string; club: string; name: string; version: string; isActive: boolean }[];
  /** What this run added; all zero when the demo's proposals and policies existed already. */
  created: { proposals: number; votes: number; policies: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seedGovernance(options: GovernanceSeedOptions): Promise<DemoGovernanceResult> {
  const { governance } = options.clients;
  const created = { proposals: 0, votes: 0, policies: 0 };
  const proposals: DemoGovernanceResult['proposals'] = [];
  // The network administrator reads every proposal, drafts included, page after page.
  const existing: Proposal[] = [];
  for (let page = 1; ; page += 1) {
    const found = await governance.listProposals({ caller: options.network, page, pageSize: 100 });
    existing.push(...found.proposals);
    if (page * 100 >= found.total) break;
  }
  for (const demo of DEMO_PROPOSALS) {
    const proposer = options.clubs.get(demo.proposer)!;
    // The demo's own: its title, put by its club (a real proposal may share a title).
    let proposal =
      existing.find((found) => found.title === demo.title && found.clubId === proposer.clubId) ??
      (await draft(demo, proposer));
    if (proposal.status === 'DRAFT' && demo.stage !== 'DRAFT')
      proposal = (await governance.submitProposal({ caller: proposer.admin, id: proposal.id })).proposal!;
    if (proposal.status === 'SUBMITTED')
      proposal = (await governance.approveProposalForVoting({ caller: options.network, id: proposal.id }))
        .proposal!;
    if (proposal.status === 'VOTING_OPEN') {
      const { votes } = await governance.listVotes({
        caller: options.network,
        proposalId: proposal.id,
        pageSize: 100,
      });
      for (const vote of demo.votes) {
        const club = options.clubs.get(vote.club)!;
        if (votes.some((cast) => cast.clubId === club.clubId)) continue;
        await governance.castVote({
          caller: club.admin,
          clubId: club.clubId,
          proposalId: proposal.id,
          choice: vote.choice,
          comments: vote.comments ?? '',
          isAnonymous: vote.anonymous ?? false,
        });
        created.votes += 1;
      }
      if (demo.stage === 'DECIDED')
        proposal = (await governance.closeProposalVoting({ caller: options.network, id: proposal.id }))
          .proposal!;
      else proposal = (await governance.getProposal({ caller: options.network, id: proposal.id })).proposal!;
    }
    proposals.push({
      id: proposal.id,
      title: proposal.title,
      proposer: demo.proposer,
      status: proposal.status,
      votes: proposal.totalVotes,
    });
  }
  const policies: DemoGovernanceResult['policies'] = [];
  for (const demo of DEMO_POLICIES) {
    const club = options.clubs.get(demo.club)!;
    const { policies: existing } = await options.clients.policies.listPolicies({
      caller: club.admin,
      clubId: club.clubId,
      pageSize: 100,
    });
    let policy = existing.find((found) => found.name === demo.name && found.version === demo.version);
    if (!policy) {
      policy = (
        await options.clients.policies.createPolicy({
          caller: club.admin,
          clubId: club.clubId,
          fields: {
            name: demo.name,
            category: demo.category,
            content: demo.content,
            version: demo.version,
            effectiveDate: timestampFromDate(new Date(options.clock().getTime() - DAY_MS)),
            requiresAcknowledgment: true,
          },
        })
      ).policy!;
      created.policies += 1;
    }
    if (!policy.isActive)
      policy = (await options.clients.policies.activatePolicy({ caller: club.admin, id: policy.id })).policy!;
    policies.push({
      id: policy.id,
      club: demo.club,
      name: policy.name,
      version: policy.version,
      isActive: policy.isActive,
    });
  }
  options.log.debug({ proposals: proposals.length, policies: policies.length }, 'demo governance ready');
  return { proposals, policies, created };

  async function draft(demo: DemoProposal, proposer: ClubActors): Promise<Proposal> {
    const now = options.clock().getTime();
    const { proposal } = await governance.createProposal({
      caller: proposer.admin,
      clubId: proposer.clubId,
      fields: {
        title: demo.title,
        description: demo.description,
        proposalType: demo.type,
        category: demo.category,
        votingMethod: demo.votingMethod,
        quorumRequired: demo.quorumRequired,
        votingStartsAt: timestampFromDate(new Date(now - DAY_MS)),
        votingEndsAt: timestampFromDate(new Date(now + demo.votingDays * DAY_MS)),
      },
    });
    created.proposals += 1;
    return proposal!;
  }
}
