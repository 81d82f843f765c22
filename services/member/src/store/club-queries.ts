import type { Queryable } from '@clubland/db';
import type { ClubStatus, NewClub } from '../domain/club.ts';

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

    async findById(id: string): Promise<ClubRow | null> {
      const { rows } = await db.query<ClubRow>(`SELECT ${COLUMNS} FROM member.clubs WHERE id = $1`, [id]);
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
