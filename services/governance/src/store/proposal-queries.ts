import type { Queryable } from '@clubland/db';
import type { ProposalStatus, ProposalType, VotingMethod } from '../domain/proposal.ts';
import type { TallyCounts } from '../domain/tally.ts';

export interface ProposalRow {
  id: string;
  clubId: string;
  proposerUserId: string;
  proposerMemberId: string;
  title: string;
  description: string;
  proposalType: ProposalType;
  category: string | null;
  status: ProposalStatus;
  votingMethod: VotingMethod;
  votingStartsAt: Date;
  votingEndsAt: Date;
  quorumRequired: number;
  approvalThreshold: number;
  attachments: string[];
  notes: string | null;
  resolutionNotes: string | null;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** A proposal with its tally, counted from its votes (never kept by hand). */
export interface ProposalView extends ProposalRow {
  tally: TallyCounts;
}

export interface ProposalChangeRow {
  id: string;
  proposalId: string;
  clubId: string;
  fromStatus: ProposalStatus | null;
  toStatus: ProposalStatus;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
}

const COLUMNS = `p.id, p.club_id AS "clubId", p.proposer_user_id AS "proposerUserId",
  p.proposer_member_id AS "proposerMemberId", p.title, p.description, p.proposal_type AS "proposalType",
  p.category, p.status, p.voting_method AS "votingMethod", p.voting_starts_at AS "votingStartsAt",
  p.voting_ends_at AS "votingEndsAt", p.quorum_required AS "quorumRequired",
  p.approval_threshold AS "approvalThreshold", p.attachments, p.notes, p.resolution_notes AS "resolutionNotes",
  p.status_reason AS "statusReason", p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  p.closed_at AS "closedAt"`;

// The tally of each proposal, from its votes: one indexed scan of votes_by_proposal per proposal.
const TALLY = `t.votes, t.yay, t.nay, t.abstain`;
const TALLY_JOIN = `LEFT JOIN LATERAL (
    SELECT count(*)::integer AS votes,
           coalesce(sum(v.weight) FILTER (WHERE v.choice = 'YAY'), 0)::integer AS yay,
           coalesce(sum(v.weight) FILTER (WHERE v.choice = 'NAY'), 0)::integer AS nay,
           coalesce(sum(v.weight) FILTER (WHERE v.choice = 'ABSTAIN'), 0)::integer AS abstain
      FROM governance.votes v WHERE v.proposal_id = p.id) t ON true`;

type ViewRecord = ProposalRow & TallyCounts;

const viewOf = ({ votes, yay, nay, abstain, ...row }: ViewRecord): ProposalView => ({
  ...row,
  tally: { votes, yay, nay, abstain },
});

/** Columns written by create and update, in insert order. */
const WRITABLE = [
  ['title', 'title'],
  ['description', 'description'],
  ['proposal_type', 'proposalType'],
  ['category', 'category'],
  ['status', 'status'],
  ['voting_method', 'votingMethod'],
  ['voting_starts_at', 'votingStartsAt'],
  ['voting_ends_at', 'votingEndsAt'],
  ['quorum_required', 'quorumRequired'],
  ['approval_threshold', 'approvalThreshold'],
  ['attachments', 'attachments'],
  ['notes', 'notes'],
  ['resolution_notes', 'resolutionNotes'],
  ['status_reason', 'statusReason'],
  ['updated_at', 'updatedAt'],
  ['closed_at', 'closedAt'],
] as const satisfies readonly (readonly [string, keyof ProposalRow])[];

export interface ProposalFilter {
  status: ProposalStatus | null;
  proposalType: ProposalType | null;
  /** Whether DRAFTs may be listed (of the transaction's own club: row-level security hides others'). */
  withDrafts: boolean;
  limit: number;
  offset: number;
}

/** The advisory lock key of a proposal's vote ($1: its id). */
const VOTING_LOCK = `('x' || substr(md5($1), 1, 16))::bit(64)::bigint`;

export function createProposalQueries(db: Queryable) {
  return {
    async insert(row: ProposalRow): Promise<void> {
      const columns = [
        'id',
        'club_id',
        'proposer_user_id',
        'proposer_member_id',
        'created_at',
        ...WRITABLE.map(([c]) => c),
      ];
      const values: unknown[] = [row.id, row.clubId, row.proposerUserId, row.proposerMemberId, row.createdAt];
      for (const [, key] of WRITABLE) values.push(row[key]);
      await db.query(
        `INSERT INTO governance.proposals (${columns.join(', ')})
         VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
    },

    async update(row: ProposalRow): Promise<void> {
      const sets = WRITABLE.map(([column], i) => `${column} = $${i + 2}`).join(', ');
      await db.query(`UPDATE governance.proposals SET ${sets} WHERE id = $1`, [
        row.id,
        ...WRITABLE.map(([, key]) => row[key]),
      ]);
    },

    async delete(id: string): Promise<boolean> {
      const { rows } = await db.query(
        `DELETE FROM governance.proposals WHERE id = $1 AND status = 'DRAFT' RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    /** `lock`: the row held (FOR NO KEY UPDATE) until the transaction ends. */
    async findById(id: string, options: { lock?: boolean } = {}): Promise<ProposalRow | null> {
      const { rows } = await db.query<ProposalRow>(
        `SELECT ${COLUMNS} FROM governance.proposals p WHERE p.id = $1${options.lock ? ' FOR NO KEY UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async clubOf(id: string): Promise<{ clubId: string; status: ProposalStatus } | null> {
      const { rows } = await db.query<{ clubId: string; status: ProposalStatus }>(
        `SELECT club_id AS "clubId", status FROM governance.proposals WHERE id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** `lock`: the row held (FOR NO KEY UPDATE: a vote's foreign key may still take KEY SHARE) until the transaction ends. */
    async viewById(id: string, options: { lock?: boolean } = {}): Promise<ProposalView | null> {
      const { rows } = await db.query<ViewRecord>(
        `SELECT ${COLUMNS}, ${TALLY} FROM governance.proposals p ${TALLY_JOIN} WHERE p.id = $1${options.lock ? ' FOR NO KEY UPDATE OF p' : ''}`,
        [id],
      );
      return rows[0] ? viewOf(rows[0]) : null;
    },

    /** A page of proposals, newest first, with the total matching the filter. */
    async list(filter: ProposalFilter): Promise<{ proposals: ProposalView[]; total: number }> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status) where.push(`p.status = $${params.push(filter.status)}`);
      if (filter.proposalType) where.push(`p.proposal_type = $${params.push(filter.proposalType)}`);
      if (!filter.withDrafts) where.push(`p.status <> 'DRAFT'`);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const limit = params.push(filter.limit);
      const offset = params.push(filter.offset);
      const [page, count] = await Promise.all([
        db.query<ViewRecord>(
          `SELECT ${COLUMNS}, ${TALLY} FROM governance.proposals p ${TALLY_JOIN} ${clause}
           ORDER BY p.created_at DESC, p.id DESC LIMIT $${limit} OFFSET $${offset}`,
          params,
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM governance.proposals p ${clause}`,
          params.slice(0, params.length - 2),
        ),
      ]);
      return { proposals: page.rows.map(viewOf), total: count.rows[0]?.total ?? 0 };
    },

    /** Ids of the proposals whose vote has ended, or that were never opened before their end: the schedule's work. */
    async findDueIds(now: Date, limit: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT p.id FROM governance.proposals p
          WHERE p.status IN ('SUBMITTED', 'VOTING_OPEN') AND p.voting_ends_at <= $1
          ORDER BY p.voting_ends_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => row.id);
    },

    async insertChange(change: ProposalChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO governance.proposal_changes
           (id, proposal_id, club_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          change.id,
          change.proposalId,
          change.clubId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },

    async changesOf(proposalId: string): Promise<ProposalChangeRow[]> {
      const { rows } = await db.query<ProposalChangeRow>(
        `SELECT id, proposal_id AS "proposalId", club_id AS "clubId", from_status AS "fromStatus",
                to_status AS "toStatus", reason, changed_by AS "changedBy", changed_at AS "changedAt"
           FROM governance.proposal_changes WHERE proposal_id = $1 ORDER BY changed_at, id`,
        [proposalId],
      );
      return rows;
    },

    /**
     * Holds the proposal's vote still for the rest of the transaction: casting, changing and
     * withdrawing votes and closing the vote each take it first, so a tally never misses a vote
     * committed beside it. An advisory lock, since a voting club may not lock the proposing club's row.
     */
    async lockVoting(proposalId: string): Promise<void> {
      await db.query(`SELECT pg_advisory_xact_lock(${VOTING_LOCK})`, [proposalId]);
    },

    /** The voting lock if no other transaction holds it (the schedule skips a proposal being acted on). */
    async tryLockVoting(proposalId: string): Promise<boolean> {
      const { rows } = await db.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(${VOTING_LOCK}) AS locked`,
        [proposalId],
      );
      return rows[0]?.locked === true;
    },
  };
}
