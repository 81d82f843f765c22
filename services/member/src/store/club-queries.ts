import type { Queryable } from '@clubland/db';
import type { ClubPatch, ClubStatus, NewClub } from '../domain/club.ts';

export interface ClubRow extends NewClub {
  id: string;
  status: ClubStatus;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, name, slug, description, location, website, status,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Queries on member.clubs over whatever connection or transaction the caller holds. */
export function createClubQueries(db: Queryable) {
  return {
    /** Inserts the club unless its slug is taken; returns null when it is. */
    async insertUnlessSlugTaken(club: NewClub & { id: string; now: Date }): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(
        `INSERT INTO member.clubs (id, name, slug, description, location, website, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $7)
         ON CONFLICT (slug) DO NOTHING
         RETURNING ${COLUMNS}`,
        [club.id, club.name, club.slug, club.description, club.location, club.website, club.now],
      );
      return rows[0] ?? null;
    },

    /** With `forUpdate`, concurrent changes of one club serialise on its row. */
    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(
        `SELECT ${COLUMNS} FROM member.clubs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    /**
     * Changes the registry fields that are set; null when the club does not exist. A slug taken by
     * another club raises the unique violation for the caller to name.
     */
    async update(id: string, patch: ClubPatch, now: Date): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(
        `UPDATE member.clubs SET
           name = coalesce($2, name), slug = coalesce($3, slug), description = coalesce($4, description),
           location = coalesce($5, location), website = coalesce($6, website), updated_at = $7
         WHERE id = $1
         RETURNING ${COLUMNS}`,
        [
          id,
          patch.name ?? null,
          patch.slug ?? null,
          patch.description ?? null,
          patch.location ?? null,
          patch.website ?? null,
          now,
        ],
      );
      return rows[0] ?? null;
    },

    async setStatus(id: string, status: ClubStatus, now: Date): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(
        `UPDATE member.clubs SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, status, now],
      );
      return rows[0] ?? null;
    },

    async findBySlug(slug: string): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(`SELECT ${COLUMNS} FROM member.clubs WHERE slug = $1`, [slug]);
      return rows[0] ?? null;
    },

    async findByIds(ids: readonly string[]): Promise<ClubRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<ClubRow>(
        `SELECT ${COLUMNS} FROM member.clubs WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    },
  };
}
