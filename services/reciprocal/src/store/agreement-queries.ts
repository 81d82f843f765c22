import type { Queryable } from '@clubland/db';
import type { AgreementStatus, AgreementTerms, AgreementType } from '../domain/agreement.ts';

export interface AgreementRow {
  id: string;
  proposerClubId: string;
  partnerClubId: string;
  agreementType: AgreementType;
  status: AgreementStatus;
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string | null;
  terms: AgreementTerms;
  notes: string | null;
  statusReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgreementChangeRow {
  id: string;
  agreementId: string;
  proposerClubId: string;
  partnerClubId: string;
  fromStatus: AgreementStatus | null;
  toStatus: AgreementStatus;
  reason: string | null;
  changedBy: string | null;
  changedByClubId: string | null;
  changedAt: Date;
}

const COLUMNS = `id, proposer_club_id AS "proposerClubId", partner_club_id AS "partnerClubId",
  agreement_type AS "agreementType", status, starts_on AS "startsOn", ends_on AS "endsOn", terms, notes,
  status_reason AS "statusReason", created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * reciprocal.agreements and their history. Row-level security already hides agreements the
 * transaction's club is not party to; the queries still name the club where they mean one.
 */
export function createAgreementQueries(db: Queryable) {
  return {
    async insert(row: AgreementRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.agreements (id, proposer_club_id, partner_club_id, agreement_type, status, starts_on,
           ends_on, terms, notes, status_reason, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          row.id,
          row.proposerClubId,
          row.partnerClubId,
          row.agreementType,
          row.status,
          row.startsOn,
          row.endsOn,
          JSON.stringify(row.terms),
          row.notes,
          row.statusReason,
          row.createdBy,
          row.createdAt,
          row.updatedAt,
        ],
      );
    },

    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<AgreementRow | null> {
      const { rows } = await db.query<AgreementRow>(
        `SELECT ${COLUMNS} FROM reciprocal.agreements WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async findByIds(ids: readonly string[]): Promise<AgreementRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<AgreementRow>(
        `SELECT ${COLUMNS} FROM reciprocal.agreements WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    },

    /**
     * The agreement in force between two clubs, either way round, if any (the one live agreement
     * the partial unique index allows). `forShare`: a check-in holds it so a suspension waits.
     */
    async findLiveBetween(
      clubA: string,
      clubB: string,
      options: { forShare?: boolean } = {},
    ): Promise<AgreementRow | null> {
      const { rows } = await db.query<AgreementRow>(
        `SELECT ${COLUMNS} FROM reciprocal.agreements
          WHERE least(proposer_club_id, partner_club_id) = least($1::uuid, $2::uuid)
            AND greatest(proposer_club_id, partner_club_id) = greatest($1::uuid, $2::uuid)
            AND status IN ('DRAFT', 'PENDING', 'APPROVED', 'ACTIVE', 'SUSPENDED')${options.forShare ? ' FOR SHARE' : ''}`,
        [clubA, clubB],
      );
      return rows[0] ?? null;
    },

    async update(
      id: string,
      patch: Partial<
        Pick<AgreementRow, 'status' | 'statusReason' | 'startsOn' | 'endsOn' | 'terms' | 'notes'>
      > & {
        updatedAt: Date;
      },
    ): Promise<AgreementRow | null> {
      const { rows } = await db.query<AgreementRow>(
        `UPDATE reciprocal.agreements SET
           status = coalesce($2, status),
           status_reason = CASE WHEN $3::boolean THEN $4 ELSE status_reason END,
           starts_on = coalesce($5, starts_on),
           ends_on = CASE WHEN $6::boolean THEN $7::date ELSE ends_on END,
           terms = coalesce($8::jsonb, terms),
           notes = CASE WHEN $9::boolean THEN $10 ELSE notes END,
           updated_at = $11
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          patch.status ?? null,
          patch.statusReason !== undefined,
          patch.statusReason ?? null,
          patch.startsOn ?? null,
          patch.endsOn !== undefined,
          patch.endsOn ?? null,
          patch.terms ? JSON.stringify(patch.terms) : null,
          patch.notes !== undefined,
          patch.notes ?? null,
          patch.updatedAt,
        ],
      );
      return rows[0] ?? null;
    },

    async addChange(change: AgreementChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.agreement_changes (id, agreement_id, proposer_club_id, partner_club_id, from_status,
           to_status, reason, changed_by, changed_by_club_id, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          change.id,
          change.agreementId,
          change.proposerClubId,
          change.partnerClubId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedByClubId,
          change.changedAt,
        ],
      );
    },
  };
}
