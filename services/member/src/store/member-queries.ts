import { limitSql, type Queryable } from '@clubland/db';
import type {
  Address,
  EmergencyContact,
  MemberPreferences,
  MemberStatus,
  MembershipType,
} from '../domain/member.ts';

/** A member as stored. Personal fields are null (or '') once erased. */
export interface MemberRow {
  id: string;
  clubId: string;
  memberNumber: string;
  userId: string | null;
  membershipType: MembershipType;
  status: MemberStatus;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
  address: Address | null;
  emergencyContact: EmergencyContact | null;
  preferences: MemberPreferences;
  notes: string | null;
  joinedAt: Date;
  expiresAt: Date | null;
  ledgerIdentity: string;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
}

/** The columns a use case may set; the rest are fixed at creation. */
export type MemberFields = Omit<
  MemberRow,
  'id' | 'clubId' | 'memberNumber' | 'ledgerIdentity' | 'createdAt' | 'joinedAt'
>;

const COLUMNS = `id, club_id AS "clubId", member_number AS "memberNumber", user_id AS "userId",
  membership_type AS "membershipType", status, first_name AS "firstName", last_name AS "lastName",
  email, phone, to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", address,
  emergency_contact AS "emergencyContact", preferences, notes, joined_at AS "joinedAt",
  expires_at AS "expiresAt", ledger_identity AS "ledgerIdentity", created_at AS "createdAt",
  updated_at AS "updatedAt", erased_at AS "erasedAt"`;

/** Column name and how its value is written, for every settable field. */
const WRITABLE: Record<keyof MemberFields, { column: string; json?: true }> = {
  userId: { column: 'user_id' },
  membershipType: { column: 'membership_type' },
  status: { column: 'status' },
  firstName: { column: 'first_name' },
  lastName: { column: 'last_name' },
  email: { column: 'email' },
  phone: { column: 'phone' },
  dateOfBirth: { column: 'date_of_birth' },
  address: { column: 'address', json: true },
  emergencyContact: { column: 'emergency_contact', json: true },
  preferences: { column: 'preferences', json: true },
  notes: { column: 'notes' },
  expiresAt: { column: 'expires_at' },
  updatedAt: { column: 'updated_at' },
  erasedAt: { column: 'erased_at' },
};

function written(field: keyof MemberFields, value: unknown): unknown {
  return WRITABLE[field].json && value !== null ? JSON.stringify(value) : value;
}

export type MemberOrder = 'created' | 'lastName';

export interface MemberFilter {
  status: MemberStatus | null;
  membershipType: MembershipType | null;
  search: string;
}

/** Where a keyset page starts: strictly after this (sort key, id). */
export interface MemberCursor {
  key: string;
  id: string;
}

/**
 * Queries on member.members over the caller's connection. Always run inside withTenant(clubId):
 * row-level security scopes them to that club; the explicit club_id conditions keep the indexes
 * in use and say what we mean.
 */
export function createMemberQueries(db: Queryable) {
  return {
    /** Inserts the member unless its number is taken in the club; returns null when it is. */
    async insertUnlessNumberTaken(member: MemberRow): Promise<MemberRow | null> {
      const fields = Object.keys(WRITABLE) as (keyof MemberFields)[];
      const columns = ['id', 'club_id', 'member_number', 'ledger_identity', 'created_at', 'joined_at'];
      const params: unknown[] = [
        member.id,
        member.clubId,
        member.memberNumber,
        member.ledgerIdentity,
        member.createdAt,
        member.joinedAt,
      ];
      for (const field of fields) {
        columns.push(WRITABLE[field].column);
        params.push(written(field, member[field]));
      }
      const { rows } = await db.query<MemberRow>(
        `INSERT INTO member.members (${columns.join(', ')})
         VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (club_id, member_number) DO NOTHING
         RETURNING ${COLUMNS}`,
        params,
      );
      return rows[0] ?? null;
    },

    async findById(
      clubId: string,
      id: string,
      options: { forUpdate?: boolean } = {},
    ): Promise<MemberRow | null> {
      const { rows } = await db.query<MemberRow>(
        `SELECT ${COLUMNS} FROM member.members WHERE club_id = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [clubId, id],
      );
      return rows[0] ?? null;
    },

    async findByNumber(clubId: string, memberNumber: string): Promise<MemberRow | null> {
      const { rows } = await db.query<MemberRow>(
        `SELECT ${COLUMNS} FROM member.members WHERE club_id = $1 AND member_number = $2`,
        [clubId, memberNumber],
      );
      return rows[0] ?? null;
    },

    /** The record linked to the account `userId` at the club. */
    async findByUser(clubId: string, userId: string): Promise<MemberRow | null> {
      const { rows } = await db.query<MemberRow>(
        `SELECT ${COLUMNS} FROM member.members WHERE club_id = $1 AND user_id = $2`,
        [clubId, userId],
      );
      return rows[0] ?? null;
    },

    async update(clubId: string, id: string, fields: Partial<MemberFields>): Promise<MemberRow | null> {
      const names = (Object.keys(fields) as (keyof MemberFields)[]).filter(
        (name) => fields[name] !== undefined,
      );
      const params: unknown[] = [clubId, id];
      const sets = names.map((name) => {
        params.push(written(name, fields[name]));
        return `${WRITABLE[name].column} = $${params.length}`;
      });
      if (sets.length === 0) return this.findById(clubId, id);
      const { rows } = await db.query<MemberRow>(
        `UPDATE member.members SET ${sets.join(', ')} WHERE club_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        params,
      );
      return rows[0] ?? null;
    },

    /**
     * One keyset page, up to `limit` rows after `cursor` in `order`, with how many members match in
     * all: one statement, so one round trip (the total rides on every row; PostgreSQL computes
     * the uncorrelated subquery once). An empty page carries no total: ask count().
     */
    async page(
      clubId: string,
      filter: MemberFilter,
      order: MemberOrder,
      position: { after: MemberCursor | null; offset: number },
      limit: number,
    ): Promise<{ rows: MemberRow[]; total: number | null }> {
      const { where, params } = filterSql(clubId, filter);
      const matching = countSql(where, filter);
      const key = order === 'created' ? 'created_at' : 'lower(last_name)';
      if (position.after) {
        params.push(
          order === 'created' ? new Date(position.after.key) : position.after.key,
          position.after.id,
        );
        where.push(
          `(${key}, id) > ($${params.length - 1}${order === 'created' ? '::timestamptz' : ''}, $${params.length}::uuid)`,
        );
      }
      const window = limitSql(
        limit,
        position.after ? 0 : position.offset,
        (value) => `$${params.push(value)}`,
      );
      const { rows } = await db.query<MemberRow & { totalCount: number }>(
        `SELECT ${COLUMNS}, (${matching}) AS "totalCount" FROM member.members WHERE ${where.join(' AND ')}
         ORDER BY ${key}, id ${window}`,
        params,
      );
      const total = rows[0] ? Number(rows[0].totalCount) : null;
      // Each row also carries the total (a MemberRow with one field more; nothing reads it there).
      return { rows: rows.slice(0, limit), total };
    },

    /** How many members match. */
    async count(clubId: string, filter: MemberFilter): Promise<number> {
      const { where, params } = filterSql(clubId, filter);
      const { rows } = await db.query<{ n: number }>(`SELECT (${countSql(where, filter)}) AS n`, params);
      return Number(rows[0]?.n ?? 0);
    },
  };
}

/**
 * The count of members matching `where` (filterSql's conditions, same parameters). Without a text
 * search it is a sum over the counters (0007-member-counts.sql), not a scan of the roster.
 */
function countSql(where: readonly string[], filter: MemberFilter): string {
  return filter.search === ''
    ? `SELECT coalesce(sum(members), 0)::int FROM member.member_counts WHERE ${where.join(' AND ')}`
    : `SELECT count(*)::int FROM member.members WHERE ${where.join(' AND ')}`;
}

function filterSql(clubId: string, filter: MemberFilter): { where: string[]; params: unknown[] } {
  const where = ['club_id = $1'];
  const params: unknown[] = [clubId];
  if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.membershipType) {
    params.push(filter.membershipType);
    where.push(`membership_type = $${params.length}`);
  }
  if (filter.search !== '') {
    params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const n = params.length;
    where.push(
      `(first_name || ' ' || last_name ILIKE $${n} OR last_name ILIKE $${n} OR email ILIKE $${n} OR member_number ILIKE $${n})`,
    );
  }
  return { where, params };
}

/** The sort key of a row in `order`, as a cursor stores it. */
export function cursorOf(row: MemberRow, order: MemberOrder): MemberCursor {
  return { key: order === 'created' ? row.createdAt.toISOString() : row.lastName.toLowerCase(), id: row.id };
}
