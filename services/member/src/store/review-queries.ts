import { limitSql, type Queryable } from '@clubland/db';

export interface ReviewRow {
  id: string;
  clubId: string;
  userId: string;
  rating: number;
  comment: string;
  author: string;
  createdAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", user_id AS "userId", rating, comment, author, created_at AS "createdAt"`;

/** Reviews and favourites: network data keyed by club and user. */
export function createReviewQueries(db: Queryable) {
  return {
    /** One review per user and club: a second one replaces the first (keeping its id). */
    async upsert(review: ReviewRow, now: Date): Promise<ReviewRow> {
      const { rows } = await db.query<ReviewRow>(
        `INSERT INTO member.club_reviews (id, club_id, user_id, rating, comment, author, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (club_id, user_id) DO UPDATE
           SET rating = excluded.rating, comment = excluded.comment, author = excluded.author, updated_at = excluded.updated_at
         RETURNING ${COLUMNS}`,
        [review.id, review.clubId, review.userId, review.rating, review.comment, review.author, now],
      );
      return rows[0]!;
    },

    /** Every review the user wrote, at every club, shown under `author` from now on; how many changed. */
    async renameAuthor(userId: string, author: string, now: Date): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE member.club_reviews SET author = $2, updated_at = $3 WHERE user_id = $1 AND author <> $2`,
        [userId, author, now],
      );
      return rowCount;
    },

    async page(
      clubId: string,
      limit: number,
      offset: number,
    ): Promise<{ rows: ReviewRow[]; total: number; average: number }> {
      const params: unknown[] = [clubId];
      const window = limitSql(limit, offset, (value) => `$${params.push(value)}`);
      const { rows } = await db.query<ReviewRow>(
        `SELECT ${COLUMNS} FROM member.club_reviews WHERE club_id = $1 ORDER BY created_at DESC, id DESC ${window}`,
        params,
      );
      const summary = await db.query<{ total: number; average: number }>(
        `SELECT count(*)::int AS total, coalesce(avg(rating), 0)::float8 AS average FROM member.club_reviews WHERE club_id = $1`,
        [clubId],
      );
      return {
        rows: rows.slice(0, limit),
        total: summary.rows[0]?.total ?? 0,
        average: summary.rows[0]?.average ?? 0,
      };
    },

    /** The user's reviews, of the given clubs only (null: of every club). */
    async byUser(userId: string, clubIds: readonly string[] | null): Promise<ReviewRow[]> {
      const { rows } = await db.query<ReviewRow>(
        `SELECT ${COLUMNS} FROM member.club_reviews
          WHERE user_id = $1 AND ($2::uuid[] IS NULL OR club_id = ANY($2::uuid[])) ORDER BY created_at, id`,
        [userId, clubIds],
      );
      return rows;
    },

    /** Adds the favourite, or removes it when present; answers whether it is a favourite now. */
    async toggleFavourite(userId: string, clubId: string, now: Date): Promise<boolean> {
      const removed = await db.query(
        `DELETE FROM member.favourite_clubs WHERE user_id = $1 AND club_id = $2`,
        [userId, clubId],
      );
      if (removed.rowCount > 0) return false;
      await db.query(
        `INSERT INTO member.favourite_clubs (user_id, club_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [userId, clubId, now],
      );
      return true;
    },

    async favourites(userId: string, clubIds: readonly string[] | null): Promise<string[]> {
      const { rows } = await db.query<{ clubId: string }>(
        `SELECT club_id AS "clubId" FROM member.favourite_clubs
         WHERE user_id = $1 AND ($2::uuid[] IS NULL OR club_id = ANY($2::uuid[])) ORDER BY created_at`,
        [userId, clubIds],
      );
      return rows.map((row) => row.clubId);
    },
  };
}
