import { authorize } from '@clubland/authz';
import { invalidInput } from '@clubland/errors';
import { z } from 'zod';
import {
  createMemberQueries,
  cursorOf,
  type MemberCursor,
  type MemberFilter,
  type MemberOrder,
  type MemberRow,
} from '../store/member-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

export interface ListMembersInput {
  filter: MemberFilter;
  order: MemberOrder;
  pageSize: number;
  /** An end cursor from a previous page: keyset pagination, stable while members are added. */
  after: string;
  /** 1-based page number, for clients that page by number; ignored when `after` is set. */
  page: number;
}

export interface MemberPage {
  members: MemberRow[];
  totalCount: number;
  endCursor: string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  page: number;
  pageSize: number;
}

const MAX_PAGE_SIZE = 100;
const cursorSchema = z.object({ o: z.enum(['created', 'lastName']), k: z.string().max(200), i: z.uuid() });

/**
 * The club's roster, one page at a time. With `after`, pages follow the last row seen by its
 * (sort key, id), so members added during a walk never shift a page: each member that existed
 * when the walk began is returned exactly once, and (ordered by creation) new ones at its end.
 */
export async function listMembers(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: ListMembersInput,
): Promise<MemberPage> {
  authorize(context.principal, 'member:read', clubId);
  const pageSize = input.pageSize === 0 ? 20 : input.pageSize;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw invalidInput('pageSize', `pageSize must be 1-${MAX_PAGE_SIZE}`);
  if (input.filter.search.length > 200) throw invalidInput('search', 'search must be at most 200 characters');
  const after = input.after === '' ? null : decodeCursor(input.after, input.order);
  const page = after ? 0 : Math.max(1, input.page);
  if (page > 100_000) throw invalidInput('page', 'page is out of range');

  return deps.db.withTenant(clubId, async (tx) => {
    const members = createMemberQueries(tx);
    const { rows, total } = await members.page(
      clubId,
      input.filter,
      input.order,
      { after, offset: (page - 1) * pageSize },
      pageSize + 1,
    );
    const totalCount = total ?? (await members.count(clubId, input.filter));
    const shown = rows.slice(0, pageSize);
    const last = shown.at(-1);
    return {
      members: shown,
      totalCount,
      endCursor: last ? encodeCursor(cursorOf(last, input.order), input.order) : (input.after ?? ''),
      hasNextPage: rows.length > pageSize,
      hasPreviousPage: after !== null || page > 1,
      page: after ? 0 : page,
      pageSize,
    };
  });
}

function encodeCursor(cursor: MemberCursor, order: MemberOrder): string {
  return Buffer.from(JSON.stringify({ o: order, k: cursor.key, i: cursor.id })).toString('base64url');
}

function decodeCursor(text: string, order: MemberOrder): MemberCursor {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (parsed.o === order && (order !== 'created' || isCursorTime(parsed.k))) {
      return { key: parsed.k, id: parsed.i };
    }
  } catch {
    // falls through to the one error below
  }
  throw invalidInput('after', 'after must be an endCursor from a previous page of the same order');
}

/**
 * A creation key is exactly what `cursorOf` wrote (`toISOString()` of a row's time): anything
 * else (a word, 31 February, a year PostgreSQL cannot store) would reach the SQL and fail there.
 */
function isCursorTime(key: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(key)) return false;
  const time = Date.parse(key);
  return Number.isFinite(time) && new Date(time).toISOString() === key;
}
