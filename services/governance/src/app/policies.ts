import { authorize, can, type Principal } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput, notFound, requireUuid } from '@clubland/errors';
import { attachmentsOf, oneOf, pageOf, textOf } from '../domain/input.ts';
import { isInForce, POLICY_CATEGORIES, type PolicyCategory } from '../domain/policy.ts';
import { policyChangedEvent } from '../events/builders.ts';
import {
  type AcknowledgementRow,
  createPolicyQueries,
  type PolicyRow,
  type PolicyView,
} from '../store/policy-queries.ts';
import { createProposalQueries } from '../store/proposal-queries.ts';
import { GOVERNANCE_SCHEMA, type GovernanceDeps, type UseCaseContext } from './deps.ts';
import { clubOfCall, requirePrincipal } from './proposal-access.ts';

/**
 * A club's policies and its members' acknowledgements. Its administrators (club:write) write them;
 * its people (club:read) read those in force, and its members acknowledge them, each version once.
 * Every read and write runs in the club's transaction: row-level security keeps a club's policies
 * its own.
 */

export interface PolicyFieldsInput {
  name?: string | undefined;
  description?: string | null | undefined;
  category?: string | undefined;
  content?: string | undefined;
  version?: string | undefined;
  effectiveDate?: Date | undefined;
  expiryDate?: Date | null | undefined;
  requiresAcknowledgment?: boolean | undefined;
  attachments?: string[] | undefined;
  relatedProposalId?: string | null | undefined;
}

function mergeFields(current: PolicyRow, input: PolicyFieldsInput): PolicyRow {
  const row: PolicyRow = { ...current };
  for (const [key, value] of Object.entries(input) as [keyof PolicyFieldsInput, unknown][]) {
    if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
  }
  row.name = textOf(row.name, 1, 200, 'name');
  row.description = row.description === null ? null : textOf(row.description, 0, 2000, 'description') || null;
  row.category = oneOf<PolicyCategory>(POLICY_CATEGORIES, row.category, 'category');
  row.content = textOf(row.content, 1, 50_000, 'content');
  row.version = textOf(row.version, 1, 20, 'version');
  if (Number.isNaN(row.effectiveDate.getTime()))
    throw invalidInput('effectiveDate', 'effectiveDate is required');
  if (row.expiryDate && !(row.expiryDate > row.effectiveDate))
    throw invalidInput('expiryDate', 'expiryDate must be after effectiveDate');
  row.attachments = attachmentsOf(row.attachments);
  if (row.relatedProposalId !== null) requireUuid(row.relatedProposalId, 'relatedProposalId');
  return row;
}

/** Creates an inactive policy for the club (club:write there). */
export async function createPolicy(
  deps: GovernanceDeps,
  context: UseCaseContext,
  requestedClubId: string,
  input: PolicyFieldsInput,
): Promise<PolicyRow> {
  const principal = requirePrincipal(context.principal);
  const clubId = clubOfCall(principal, requestedClubId);
  authorize(principal, 'club:write', clubId);
  for (const field of ['name', 'category', 'content', 'version', 'effectiveDate'] as const)
    if (input[field] === undefined) throw invalidInput(field, `${field} is required`);
  const now = context.clock();
  const created = mergeFields(
    {
      id: context.newId(),
      clubId,
      name: '',
      description: null,
      category: 'OTHER',
      content: '',
      version: '',
      effectiveDate: now,
      expiryDate: null,
      isActive: false,
      requiresAcknowledgment: false,
      approvedBy: null,
      approvalDate: null,
      deactivationReason: null,
      relatedProposalId: null,
      attachments: [],
      createdAt: now,
      updatedAt: now,
    },
    input,
  );
  await checkRelatedProposal(deps, clubId, created.relatedProposalId);
  return write(deps, context, clubId, created.id, 'CREATED', () => created);
}

/**
 * A club's write of a policy with its event, in the club's transaction. `change` makes the row to
 * store from the policy as it stands there, held (FOR UPDATE: a concurrent edit or (de)activation
 * commits first, and this sees it); null for a new one. A taken name and version is BAD_USER_INPUT.
 */
async function write(
  deps: GovernanceDeps,
  context: UseCaseContext,
  clubId: string,
  id: string,
  kind: 'CREATED' | 'UPDATED' | 'ACTIVATED' | 'DEACTIVATED',
  change: (current: PolicyRow | null) => PolicyRow,
): Promise<PolicyRow> {
  let row: PolicyRow | undefined;
  try {
    await deps.db.withTenant(clubId, async (tx) => {
      const policies = createPolicyQueries(tx);
      const current = kind === 'CREATED' ? null : await policies.findForUpdate(id);
      if (kind !== 'CREATED' && !current) throw notFound('policy', id);
      row = change(current);
      await Promise.all([
        current ? policies.update(row) : policies.insert(row),
        addToOutbox(tx, GOVERNANCE_SCHEMA, [policyChangedEvent(row, kind, context)]),
      ]);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505')
      throw invalidInput('version', `the club has a policy "${row?.name}" of version ${row?.version}`);
    throw error;
  }
  deps.eventsWritten();
  return row!;
}

/** A network proposal a club's policy may cite: one the club's transaction sees, not another club's DRAFT. */
async function checkRelatedProposal(
  deps: GovernanceDeps,
  clubId: string,
  proposalId: string | null,
): Promise<void> {
  if (proposalId === null) return;
  const proposal = await deps.db.readAtOnce(clubId, (tx) => createProposalQueries(tx).findById(proposalId));
  if (!proposal || (proposal.status === 'DRAFT' && proposal.clubId !== clubId))
    throw invalidInput('relatedProposalId', 'no such proposal');
}

/** The policy of `id` in one of the caller's clubs (their home club, then the clubs where they hold a role). */
async function findPolicy(
  deps: GovernanceDeps,
  principal: Principal,
  id: string,
  readerMemberId: (clubId: string) => Promise<string | null> = async () => null,
): Promise<PolicyView> {
  requireUuid(id, 'id');
  const clubs = new Set<string>();
  if (principal.homeClubId) clubs.add(principal.homeClubId);
  for (const grant of principal.grants) if (grant.clubId) clubs.add(grant.clubId);
  for (const clubId of clubs) {
    const found = await deps.db.readAtOnce(clubId, async (tx) => createPolicyQueries(tx).viewById(id, null));
    if (found) {
      const memberId = await readerMemberId(clubId);
      if (memberId === null) return found;
      return (
        (await deps.db.readAtOnce(clubId, (tx) => createPolicyQueries(tx).viewById(id, memberId))) ?? found
      );
    }
  }
  throw notFound('policy', id);
}

/** Edits a policy (club:write). A new version or content asks for acknowledgement again. */
export async function updatePolicy(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  input: PolicyFieldsInput,
): Promise<PolicyRow> {
  const principal = requirePrincipal(context.principal);
  const { clubId } = await findPolicy(deps, principal, id);
  authorize(principal, 'club:write', clubId);
  if (input.relatedProposalId !== undefined)
    await checkRelatedProposal(deps, clubId, input.relatedProposalId);
  return write(deps, context, clubId, id, 'UPDATED', (current) => {
    const row = { ...mergeFields(current!, input), updatedAt: context.clock() };
    if (row.content !== current!.content && row.version === current!.version)
      throw invalidInput('version', 'new content needs a new version: the members acknowledged this one');
    return row;
  });
}

/** Activates (club:write, approved by the caller) or deactivates (with a reason) a policy. */
export async function setPolicyActive(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  active: boolean,
  reason: string,
): Promise<PolicyRow> {
  const principal = requirePrincipal(context.principal);
  const { clubId } = await findPolicy(deps, principal, id);
  authorize(principal, 'club:write', clubId);
  if (!active && reason.trim() === '')
    throw invalidInput('reason', 'a reason is required to deactivate a policy');
  return write(deps, context, clubId, id, active ? 'ACTIVATED' : 'DEACTIVATED', (current) => {
    if (current!.isActive === active)
      throw new ClubError(
        'policy.transition_refused',
        `the policy is already ${active ? 'active' : 'inactive'}`,
      );
    const now = context.clock();
    return active
      ? {
          ...current!,
          isActive: true,
          approvedBy: principal.userId,
          approvalDate: now,
          deactivationReason: null,
          updatedAt: now,
        }
      : { ...current!, isActive: false, deactivationReason: reason.trim(), updatedAt: now };
  });
}

/** Deletes a policy never activated (club:write); one that was is the club's record. */
export async function deletePolicy(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
): Promise<boolean> {
  const principal = requirePrincipal(context.principal);
  const current = await findPolicy(deps, principal, id);
  authorize(principal, 'club:write', current.clubId);
  const deleted = await deps.db.withTenant(current.clubId, (tx) =>
    createPolicyQueries(tx).deleteNeverActivated(id),
  );
  if (!deleted)
    throw new ClubError(
      'policy.transition_refused',
      'a policy once activated is the club’s record: deactivate it instead',
    );
  return true;
}

/** The caller's member record at the club (their acknowledgements), or null. */
async function memberIdAt(
  deps: GovernanceDeps,
  principal: Principal,
  clubId: string,
): Promise<string | null> {
  return (await deps.people.officerAt(principal, clubId))?.memberId ?? null;
}

/** One policy: in force for the club's people, any for club:write. */
export async function getPolicy(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
): Promise<PolicyView> {
  const principal = requirePrincipal(context.principal);
  const policy = await findPolicy(deps, principal, id, (clubId) => memberIdAt(deps, principal, clubId));
  if (!mayRead(principal, policy, context.clock())) throw notFound('policy', id);
  return policy;
}

function mayRead(principal: Principal, policy: PolicyRow, now: Date): boolean {
  if (can(principal, 'club:write', policy.clubId)) return true;
  return can(principal, 'club:read', policy.clubId) && isInForce(policy, now);
}

export interface ListPoliciesInput {
  clubId: string;
  category: string;
  inForce: boolean | undefined;
  requiringAcknowledgment: boolean;
  unacknowledgedByCaller: boolean;
  page: number;
  pageSize: number;
}

/** The club's policies, by name: in force only for its people, all for club:write. */
export async function listPolicies(deps: GovernanceDeps, context: UseCaseContext, input: ListPoliciesInput) {
  const principal = requirePrincipal(context.principal);
  const clubId = clubOfCall(principal, input.clubId);
  authorize(principal, 'club:read', clubId);
  const category =
    input.category === '' ? null : oneOf<PolicyCategory>(POLICY_CATEGORIES, input.category, 'category');
  const { page, pageSize: size, limit, offset } = pageOf(input.page, input.pageSize);
  const manager = can(principal, 'club:write', clubId);
  const memberId = await memberIdAt(deps, principal, clubId);
  const result = await deps.db.readAtOnce(clubId, (tx) =>
    createPolicyQueries(tx).list({
      readerMemberId: memberId,
      now: context.clock(),
      category,
      // The club's people see what is in force; its administrators whatever they ask.
      inForce: manager ? (input.inForce ?? null) : true,
      requiringAcknowledgment: input.requiringAcknowledgment,
      unacknowledgedByReader: input.unacknowledgedByCaller,
      limit,
      offset,
    }),
  );
  return { ...result, page, pageSize: size };
}

/**
 * The caller acknowledges policies of their club (the current version of each, in force), once per
 * version: acknowledging again answers the acknowledgement already made. Needs a member record at
 * the policy's club.
 */
export async function acknowledgePolicies(
  deps: GovernanceDeps,
  context: UseCaseContext,
  policyIds: readonly string[],
  ipAddress: string,
): Promise<AcknowledgementRow[]> {
  const principal = requirePrincipal(context.principal);
  if (policyIds.length === 0) throw invalidInput('policyIds', 'name at least one policy');
  if (policyIds.length > 100) throw invalidInput('policyIds', 'at most 100 policies at once');
  const policies = await Promise.all([...new Set(policyIds)].map((id) => findPolicy(deps, principal, id)));
  const now = context.clock();
  const byClub = new Map<string, PolicyView[]>();
  for (const policy of policies) {
    if (!mayRead(principal, policy, now) || !isInForce(policy, now))
      throw new ClubError('policy.transition_refused', `the policy ${policy.id} is not in force`);
    byClub.set(policy.clubId, [...(byClub.get(policy.clubId) ?? []), policy]);
  }
  const acknowledged: AcknowledgementRow[] = [];
  for (const [clubId, ofClub] of byClub) {
    const memberId = await memberIdAt(deps, principal, assertClubId(clubId));
    if (memberId === null)
      throw new ClubError('request.forbidden', "a club's policies are acknowledged by its members");
    const rows: AcknowledgementRow[] = ofClub.map((policy) => ({
      id: context.newId(),
      clubId,
      policyId: policy.id,
      policyVersion: policy.version,
      memberId,
      userId: principal.userId,
      acknowledgedAt: now,
      ipAddress: ipAddress.slice(0, 64) || null,
    }));
    acknowledged.push(
      ...(await deps.db.withTenant(clubId, (tx) => createPolicyQueries(tx).acknowledge(rows))),
    );
  }
  return acknowledged;
}

/** A policy's acknowledgements (member:read at its club), or the caller's own at their home club. */
export async function listAcknowledgements(
  deps: GovernanceDeps,
  context: UseCaseContext,
  input: { policyId: string; page: number; pageSize: number },
) {
  const principal = requirePrincipal(context.principal);
  const { page, pageSize: size, ...paging } = pageOf(input.page, input.pageSize);
  if (input.policyId !== '') {
    const policy = await findPolicy(deps, principal, input.policyId);
    authorize(principal, 'member:read', policy.clubId);
    const result = await deps.db.readAtOnce(policy.clubId, (tx) =>
      createPolicyQueries(tx).listAcknowledgements({ policyId: policy.id }, paging),
    );
    return { ...result, page, pageSize: size };
  }
  const clubId = clubOfCall(principal, '');
  const memberId = await memberIdAt(deps, principal, clubId);
  if (memberId === null) return { acknowledgements: [], total: 0, page, pageSize: size };
  const result = await deps.db.readAtOnce(clubId, (tx) =>
    createPolicyQueries(tx).listAcknowledgements({ memberId }, paging),
  );
  return { ...result, page, pageSize: size };
}
