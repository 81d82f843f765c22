import type { Principal } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound, requireUuid } from '@clubland/errors';
import { attachmentsOf, oneOf, textOf } from '../domain/input.ts';
import { PROPOSAL_TYPES, type ProposalType, VOTING_METHODS, type VotingMethod } from '../domain/proposal.ts';
import { EDITABLE_STATUSES } from '../domain/proposal-lifecycle.ts';
import { EMPTY_TALLY } from '../domain/tally.ts';
import { proposalStatusChangedEvent } from '../events/builders.ts';
import {
  createProposalQueries,
  type ProposalChangeRow,
  type ProposalRow,
} from '../store/proposal-queries.ts';
import { GOVERNANCE_SCHEMA, type GovernanceDeps, type UseCaseContext } from './deps.ts';
import { clubOfCall, maySeeProposal, officerOf, requirePrincipal } from './proposal-access.ts';

/** A proposal's fields as written; undefined keeps the current value on update. */
export interface ProposalFieldsInput {
  title?: string | undefined;
  description?: string | undefined;
  proposalType?: string | undefined;
  category?: string | null | undefined;
  votingStartsAt?: Date | undefined;
  votingEndsAt?: Date | undefined;
  votingMethod?: string | undefined;
  quorumRequired?: number | undefined;
  approvalThreshold?: number | undefined;
  attachments?: string[] | undefined;
  notes?: string | null | undefined;
}

/** The longest a vote may run, and how far ahead it may start: a network decides within a year. */
const MAX_VOTE_MS = 366 * 86_400_000;

/** Merges `input` over `current` and validates the result (the DDL's checks, said with the field). */
function mergeFields(current: ProposalRow, input: ProposalFieldsInput, now: Date): ProposalRow {
  const row: ProposalRow = { ...current };
  for (const [key, value] of Object.entries(input) as [keyof ProposalFieldsInput, unknown][]) {
    if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
  }
  row.title = textOf(row.title, 1, 200, 'title');
  row.description = textOf(row.description, 1, 20_000, 'description');
  row.proposalType = oneOf<ProposalType>(PROPOSAL_TYPES, row.proposalType, 'type');
  row.category = row.category === null ? null : textOf(row.category, 0, 100, 'category') || null;
  const method = oneOf<VotingMethod>(VOTING_METHODS, row.votingMethod, 'votingMethod');
  if (method === 'RANKED_CHOICE')
    throw invalidInput(
      'votingMethod',
      'RANKED_CHOICE needs candidates to rank; a vote here is YAY, NAY or ABSTAIN',
    );
  row.votingMethod = method;
  if (Number.isNaN(row.votingStartsAt.getTime()))
    throw invalidInput('votingStartTime', 'votingStartTime is required');
  if (Number.isNaN(row.votingEndsAt.getTime()))
    throw invalidInput('votingEndTime', 'votingEndTime is required');
  if (!(row.votingEndsAt > row.votingStartsAt))
    throw invalidInput('votingEndTime', 'votingEndTime must be after votingStartTime');
  if (!(row.votingEndsAt > now)) throw invalidInput('votingEndTime', 'votingEndTime must be in the future');
  if (row.votingEndsAt.getTime() - now.getTime() > MAX_VOTE_MS)
    throw invalidInput('votingEndTime', 'votingEndTime must be within a year');
  if (!Number.isInteger(row.quorumRequired) || row.quorumRequired < 1 || row.quorumRequired > 10_000)
    throw invalidInput('quorumRequired', 'quorumRequired must be a whole number of clubs from 1 to 10000');
  if (!Number.isFinite(row.approvalThreshold) || row.approvalThreshold <= 0 || row.approvalThreshold >= 1)
    throw invalidInput(
      'approvalThreshold',
      'approvalThreshold must be a share above 0 and below 1 (0.5: more than half)',
    );
  row.attachments = attachmentsOf(row.attachments);
  row.notes = row.notes === null ? null : textOf(row.notes, 0, 5000, 'notes') || null;
  return row;
}

/** Creates a DRAFT proposal for the club (governance:propose there, by one of its ACTIVE members). */
export async function createProposal(
  deps: GovernanceDeps,
  context: UseCaseContext,
  requestedClubId: string,
  input: ProposalFieldsInput,
): Promise<ProposalRow> {
  const principal = requirePrincipal(context.principal);
  const clubId = clubOfCall(principal, requestedClubId);
  const memberId = await officerOf(deps, principal, clubId, 'governance:propose');
  const now = context.clock();
  if (input.title === undefined) throw invalidInput('title', 'title is required');
  if (input.description === undefined) throw invalidInput('description', 'description is required');
  if (input.proposalType === undefined) throw invalidInput('type', 'type is required');
  if (input.quorumRequired === undefined) throw invalidInput('quorumRequired', 'quorumRequired is required');
  const blank: ProposalRow = {
    id: context.newId(),
    clubId,
    proposerUserId: principal.userId,
    proposerMemberId: memberId,
    title: '',
    description: '',
    proposalType: 'OTHER',
    category: null,
    status: 'DRAFT',
    votingMethod: 'SIMPLE_MAJORITY',
    votingStartsAt: new Date(Number.NaN),
    votingEndsAt: new Date(Number.NaN),
    quorumRequired: 1,
    approvalThreshold: 0.5,
    attachments: [],
    notes: null,
    resolutionNotes: null,
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  const row = mergeFields(blank, input, now);
  const change: ProposalChangeRow = {
    id: context.newId(),
    proposalId: row.id,
    clubId,
    fromStatus: null,
    toStatus: 'DRAFT',
    reason: null,
    changedBy: principal.userId,
    changedAt: now,
  };
  await deps.db.withTenant(clubId, async (tx) => {
    const proposals = createProposalQueries(tx);
    await proposals.insert(row);
    await Promise.all([
      proposals.insertChange(change),
      addToOutbox(tx, GOVERNANCE_SCHEMA, [proposalStatusChangedEvent(row, change, EMPTY_TALLY, context)]),
    ]);
  });
  deps.eventsWritten();
  return row;
}

/** Edits a DRAFT (its proposing club's officers). */
export async function updateProposal(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  input: ProposalFieldsInput,
): Promise<ProposalRow> {
  return withOwnDraft(deps, context, id, 'can no longer be edited', async (proposals, current) => {
    const row = mergeFields(current, input, context.clock());
    row.updatedAt = context.clock();
    await proposals.update(row);
    return row;
  });
}

/** Deletes a DRAFT (its proposing club's officers): nobody else has seen it. */
export async function deleteProposal(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
): Promise<boolean> {
  return withOwnDraft(deps, context, id, "is the network's record: withdraw it instead", (proposals) =>
    proposals.delete(id),
  );
}

/**
 * Runs `change` on a DRAFT in its club's transaction, for one of that club's officers
 * (governance:propose there, asked before the transaction: no RPC runs inside one); any other
 * status is refused: "a SUBMITTED proposal <refusal>".
 */
async function withOwnDraft<T>(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  refusal: string,
  change: (proposals: ReturnType<typeof createProposalQueries>, current: ProposalRow) => Promise<T>,
): Promise<T> {
  const principal = requirePrincipal(context.principal);
  const clubId = await proposingClubOf(deps, principal, id);
  await officerOf(deps, principal, clubId, 'governance:propose');
  return deps.db.withTenant(clubId, async (tx) => {
    const proposals = createProposalQueries(tx);
    // Held: a submission or an opening under way commits first, and this sees its status.
    const current = await proposals.findById(id, { lock: true });
    if (!current) throw notFound('proposal', id);
    if (!EDITABLE_STATUSES.includes(current.status))
      throw new ClubError('proposal.transition_refused', `a ${current.status} proposal ${refusal}`);
    return change(proposals, current);
  });
}

/**
 * The proposing club of a proposal, so that a write runs in that club's transaction (row-level
 * security lets it write only its own club's rows). A lookup of the id alone, in a network
 * transaction: another club's DRAFT is NOT_FOUND to the caller, as when they read it.
 */
export async function proposingClubOf(
  deps: GovernanceDeps,
  principal: Principal,
  id: string,
): Promise<string> {
  requireUuid(id, 'id');
  const row = await deps.db.readAtOnce(null, (tx) => createProposalQueries(tx).clubOf(id));
  if (!row || !maySeeProposal(principal, row)) throw notFound('proposal', id);
  return row.clubId;
}
