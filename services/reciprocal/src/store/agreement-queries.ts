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
     * the partial unique index allows).
     */
    async findLiveBetween(clubA: string, clubB: string): Promise<AgreementRow | null> {
      const { rows } = await db.query<AgreementRow>(
        `SELECT ${COLUMNS} FROM reciprocal.agreements
          WHERE least(proposer_club_id, partner_club_id) = least($1::uuid, $2::uuid)
            AND greatest(proposer_club_id, partner_club_id) = greatest($1::uuid, $2::uuid)
            AND status IN ('DRAFT', 'PENDING', 'APPROVED', 'ACTIVE', 'SUSPENDED')`,
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

    /** A club's agreements (either side), newest first, one page, with the total matching. */
    async listForClub(
      clubId: string,
      filter: { status: AgreementStatus | null; limit: number; offset: number },
    ): Promise<{ rows: AgreementRow[]; total: number }> {
      const { rows } = await db.query<AgreementRow & { total: string }>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total FROM reciprocal.agreements
          WHERE (proposer_club_id = $1 OR partner_club_id = $1) AND ($2::text IS NULL OR status = $2)
          ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [clubId, filter.status, filter.limit, filter.offset],
      );
      if (rows.length === 0 && filter.offset > 0) {
        const { rows: counted } = await db.query<{ total: string }>(
          `SELECT count(*) AS total FROM reciprocal.agreements
            WHERE (proposer_club_id = $1 OR partner_club_id = $1) AND ($2::text IS NULL OR status = $2)`,
          [clubId, filter.status],
        );
        return { rows: [], total: Number(counted[0]?.total ?? 0) };
      }
      return {
        rows: rows.map(({ total: _total, ...row }) => row),
        total: Number(rows[0]?.total ?? 0),
      };
    },

    /** What the scheduled job has to do on `today`: agreements to start and agreements to end. */
    async findDue(today: string, limit: number): Promise<AgreementRow[]> {
      // SKIP LOCKED: a row a user is changing right now is taken at the next run, not waited for.
      const { rows } = await db.query<AgreementRow>(
        `SELECT ${COLUMNS} FROM reciprocal.agreements
          WHERE (status IN ('ACTIVE', 'SUSPENDED', 'APPROVED') AND ends_on < $1::date)
             OR (status = 'APPROVED' AND starts_on <= $1::date)
          ORDER BY starts_on, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [today, limit],
      );
      return rows;
    },

    async listChanges(agreementId: string): Promise<AgreementChangeRow[]> {
      const { rows } = await db.query<AgreementChangeRow>(
        `SELECT id, agreement_id AS "agreementId", proposer_club_id AS "proposerClubId",
                partner_club_id AS "partnerClubId", from_status AS "fromStatus", to_status AS "toStatus", reason,
                changed_by AS "changedBy", changed_by_club_id AS "changedByClubId", changed_at AS "changedAt"
           FROM reciprocal.agreement_changes WHERE agreement_id = $1 ORDER BY changed_at, id`,
        [agreementId],
      );
      return rows;
    },

    /** The change that suspended the agreement last, if any (whose suspension is in force). */
    async lastSuspension(agreementId: string): Promise<AgreementChangeRow | null> {
      const changes = await this.listChanges(agreementId);
      return changes.filter((change) => change.toStatus === 'SUSPENDED').at(-1) ?? null;
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
