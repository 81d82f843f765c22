import type { Queryable } from '@clubland/db';
import type { PolicyCategory } from '../domain/policy.ts';

export interface PolicyRow {
  id: string;
  clubId: string;
  name: string;
  description: string | null;
  category: PolicyCategory;
  content: string;
  version: string;
  effectiveDate: Date;
  expiryDate: Date | null;
  isActive: boolean;
  requiresAcknowledgment: boolean;
  approvedBy: string | null;
  approvalDate: Date | null;
  deactivationReason: string | null;
  relatedProposalId: string | null;
  attachments: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A policy as one reader sees it: whether they (their member record) acknowledged its current version. */
export interface PolicyView extends PolicyRow {
  acknowledgedByReader: boolean;
}

export interface AcknowledgementRow {
  id: string;
  clubId: string;
  policyId: string;
  policyVersion: string;
  memberId: string;
  userId: string;
  acknowledgedAt: Date;
  ipAddress: string | null;
}

const COLUMNS = `p.id, p.club_id AS "clubId", p.name, p.description, p.category, p.content, p.version,
  p.effective_date AS "effectiveDate", p.expiry_date AS "expiryDate", p.is_active AS "isActive",
  p.requires_acknowledgment AS "requiresAcknowledgment", p.approved_by AS "approvedBy",
  p.approval_date AS "approvalDate", p.deactivation_reason AS "deactivationReason",
  p.related_proposal_id AS "relatedProposalId", p.attachments, p.created_at AS "createdAt",
  p.updated_at AS "updatedAt"`;

// The reader's acknowledgement of the current version; $1 is the reader's member id (NULL: none).
const ACKNOWLEDGED = `EXISTS (SELECT 1 FROM governance.policy_acknowledgements a
   WHERE a.policy_id = p.id AND a.policy_version = p.version AND a.member_id = $1) AS "acknowledgedByReader"`;

const IN_FORCE = `(p.is_active AND p.effective_date <= $2 AND (p.expiry_date IS NULL OR p.expiry_date > $2))`;

const ACK_COLUMNS = `a.id, a.club_id AS "clubId", a.policy_id AS "policyId", a.policy_version AS "policyVersion",
  a.member_id AS "memberId", a.user_id AS "userId", a.acknowledged_at AS "acknowledgedAt", a.ip_address AS "ipAddress"`;

/** Columns written by create and update, in insert order. */
const WRITABLE = [
  ['name', 'name'],
  ['description', 'description'],
  ['category', 'category'],
  ['content', 'content'],
  ['version', 'version'],
  ['effective_date', 'effectiveDate'],
  ['expiry_date', 'expiryDate'],
  ['is_active', 'isActive'],
  ['requires_acknowledgment', 'requiresAcknowledgment'],
  ['approved_by', 'approvedBy'],
  ['approval_date', 'approvalDate'],
  ['deactivation_reason', 'deactivationReason'],
  ['related_proposal_id', 'relatedProposalId'],
  ['attachments', 'attachments'],
  ['updated_at', 'updatedAt'],
] as const satisfies readonly (readonly [string, keyof PolicyRow])[];

export interface PolicyFilter {
  /** The reader's member record at the club (their acknowledgements); null when they have none. */
  readerMemberId: string | null;
  now: Date;
  category: PolicyCategory | null;
  /** true: only in force; false: only not in force; null: all. */
  inForce: boolean | null;
  requiringAcknowledgment: boolean;
  unacknowledgedByReader: boolean;
  limit: number;
  offset: number;
}

export function createPolicyQueries(db: Queryable) {
  return {
    async insert(row: PolicyRow): Promise<void> {
      const columns = ['id', 'club_id', 'created_at', ...WRITABLE.map(([column]) => column)];
      const values: unknown[] = [row.id, row.clubId, row.createdAt, ...WRITABLE.map(([, key]) => row[key])];
      await db.query(
        `INSERT INTO governance.policies (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
    },

    async update(row: PolicyRow): Promise<void> {
      const sets = WRITABLE.map(([column], i) => `${column} = $${i + 2}`).join(', ');
      await db.query(`UPDATE governance.policies SET ${sets} WHERE id = $1`, [
        row.id,
        ...WRITABLE.map(([, key]) => row[key]),
      ]);
    },

    /** Deletes a policy never activated; false when there is none such. */
    async deleteNeverActivated(id: string): Promise<boolean> {
      const { rows } = await db.query(
        `DELETE FROM governance.policies WHERE id = $1 AND approval_date IS NULL RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    async viewById(id: string, readerMemberId: string | null): Promise<PolicyView | null> {
      const { rows } = await db.query<PolicyView>(
        `SELECT ${COLUMNS}, ${ACKNOWLEDGED} FROM governance.policies p WHERE p.id = $2`,
        [readerMemberId, id],
      );
      return rows[0] ?? null;
    },

    /** The policy held (FOR UPDATE) until the transaction ends. */
    async findForUpdate(id: string): Promise<PolicyRow | null> {
      const { rows } = await db.query<PolicyRow>(
        `SELECT ${COLUMNS} FROM governance.policies p WHERE p.id = $1 FOR UPDATE`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** A page of the club's policies (the transaction's club), by name then newest version, with the total. */
    async list(filter: PolicyFilter): Promise<{ policies: PolicyView[]; total: number }> {
      const params: unknown[] = [filter.readerMemberId, filter.now];
      const where: string[] = [];
      if (filter.category) where.push(`p.category = $${params.push(filter.category)}`);
      if (filter.inForce === true) where.push(IN_FORCE);
      if (filter.inForce === false) where.push(`NOT ${IN_FORCE}`);
      if (filter.requiringAcknowledgment) where.push(`p.requires_acknowledgment AND ${IN_FORCE}`);
      if (filter.unacknowledgedByReader)
        where.push(`p.requires_acknowledgment AND ${IN_FORCE} AND NOT EXISTS (SELECT 1 FROM governance.policy_acknowledgements a
          WHERE a.policy_id = p.id AND a.policy_version = p.version AND a.member_id = $1)`);
      // $1 and $2 are always bound: a filter without them still names them, so their types are known.
      const clause = `WHERE ($1::uuid IS NULL OR true) AND $2::timestamptz IS NOT NULL${where.map((w) => ` AND ${w}`).join('')}`;
      const limit = params.push(filter.limit);
      const offset = params.push(filter.offset);
      const [page, count] = await Promise.all([
        db.query<PolicyView>(
          `SELECT ${COLUMNS}, ${ACKNOWLEDGED} FROM governance.policies p ${clause}
            ORDER BY p.name, p.created_at DESC, p.id LIMIT $${limit} OFFSET $${offset}`,
          params,
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM governance.policies p ${clause}`,
          params.slice(0, params.length - 2),
        ),
      ]);
      return { policies: page.rows, total: count.rows[0]?.total ?? 0 };
    },

    /** Records acknowledgements not yet made (the same member, policy and version once); returns every one, new or not. */
    async acknowledge(rows: readonly AcknowledgementRow[]): Promise<AcknowledgementRow[]> {
      if (rows.length === 0) return [];
      await db.query(
        `INSERT INTO governance.policy_acknowledgements
           (id, club_id, policy_id, policy_version, member_id, user_id, acknowledged_at, ip_address)
         SELECT r.id, r.club_id, r.policy_id, r.policy_version, r.member_id, r.user_id, r.acknowledged_at, r.ip_address
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, club_id uuid, policy_id uuid, policy_version text,
             member_id uuid, user_id uuid, acknowledged_at timestamptz, ip_address text)
         ON CONFLICT (policy_id, policy_version, member_id) DO NOTHING`,
        [
          JSON.stringify(
            rows.map((row) => ({
              id: row.id,
              club_id: row.clubId,
              policy_id: row.policyId,
              policy_version: row.policyVersion,
              member_id: row.memberId,
              user_id: row.userId,
              acknowledged_at: row.acknowledgedAt.toISOString(),
              ip_address: row.ipAddress,
            })),
          ),
        ],
      );
      const { rows: stored } = await db.query<AcknowledgementRow>(
        `SELECT ${ACK_COLUMNS} FROM governance.policy_acknowledgements a
          WHERE a.member_id = $1 AND (a.policy_id, a.policy_version) IN
            (SELECT * FROM unnest($2::uuid[], $3::text[]))
          ORDER BY a.acknowledged_at, a.id`,
        [rows[0]!.memberId, rows.map((row) => row.policyId), rows.map((row) => row.policyVersion)],
      );
      return stored;
    },

    /** Acknowledgements of a policy, or of a member, newest first, with their number. */
    async listAcknowledgements(
      by: { policyId: string } | { memberId: string },
      page: { limit: number; offset: number },
    ): Promise<{ acknowledgements: AcknowledgementRow[]; total: number }> {
      const [column, value] = 'policyId' in by ? ['policy_id', by.policyId] : ['member_id', by.memberId];
      const [list, count] = await Promise.all([
        db.query<AcknowledgementRow>(
          `SELECT ${ACK_COLUMNS} FROM governance.policy_acknowledgements a WHERE a.${column} = $1
            ORDER BY a.acknowledged_at DESC, a.id DESC LIMIT $2 OFFSET $3`,
          [value, page.limit, page.offset],
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM governance.policy_acknowledgements WHERE ${column} = $1`,
          [value],
        ),
      ]);
      return { acknowledgements: list.rows, total: count.rows[0]?.total ?? 0 };
    },
  };
}
