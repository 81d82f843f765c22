import { authorize } from '@clubland/authz';
import { ClubError, invalidInput } from '@clubland/errors';
import type { VisitStatus } from '../domain/visit-lifecycle.ts';
import { createVisitQueries, type VisitPage } from '../store/visit-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { ownClubs } from './visit-access.ts';

export interface PageRequest {
  /** 1-based; 0 reads as 1. */
  page: number;
  /** 1-100; 0 reads as the default. */
  pageSize: number;
}

export interface ClubVisitsQuery extends PageRequest {
  clubId: string;
  side: 'HOST' | 'HOME' | 'BOTH';
  status: VisitStatus | null;
  /** YYYY-MM-DD, inclusive; null: open. */
  from: string | null;
  to: string | null;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
/** Deep pages of the member's own list merge several clubs' first rows: bounded. */
const MAX_PAGE = 1000;

export function pageOf(request: PageRequest): {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
} {
  const page = request.page === 0 ? 1 : request.page;
  const pageSize = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : request.pageSize;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE)
    throw invalidInput('page', `page must be 1-${MAX_PAGE}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidInput('pageSize', `pageSize must be 1-${MAX_PAGE_SIZE}`);
  }
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

/**
 * A club's visits, as host (its desk's), as home club (its members' travels) or both; newest first.
 * Needs visit:manage at the club; read in the club's tenant transaction. Reads skip the domain.
 */
export async function listClubVisits(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  query: ClubVisitsQuery,
): Promise<VisitPage> {
  authorize(context.principal, 'visit:manage', query.clubId);
  if (query.from && query.to && query.from > query.to) throw invalidInput('to', 'to must not be before from');
  const { limit, offset } = pageOf(query);
  return deps.db.withTenant(query.clubId, (tx) =>
    createVisitQueries(tx).list(
      {
        clubId: query.clubId,
        side: query.side,
        ...(query.status ? { status: query.status } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
      },
      { limit, offset },
    ),
  );
}

/**
 * The caller's own visits at every club, newest first.
 *
 * Read per home club, not in one network transaction filtered by member_user_id: a member's visits
 * are rows of the clubs whose member they are (home_club_id), so each club the caller belongs to is
 * read in its own tenant transaction (home_club_id = that club AND member_user_id = caller), and
 * row-level security, not the WHERE clause alone, bounds what a mistake could show: never a visit of
 * a club the caller has no tie to. Usually that is one club and one query; with several, each gives
 * its first page × size rows and the pages are merged here (a visit has one home club, so none twice).
 */
export async function listMyVisits(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  query: PageRequest & { status: VisitStatus | null },
): Promise<VisitPage> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const { limit, offset } = pageOf(query);
  const clubs = ownClubs(principal);
  const pages = await Promise.all(
    clubs.map((clubId) =>
      deps.db.withTenant(clubId, (tx) =>
        createVisitQueries(tx).list(
          {
            clubId,
            side: 'HOME',
            memberUserId: principal.userId,
            ...(query.status ? { status: query.status } : {}),
          },
          clubs.length === 1 ? { limit, offset } : { limit: offset + limit, offset: 0 },
        ),
      ),
    ),
  );
  if (pages.length === 1) return pages[0]!;
  const merged = pages
    .flatMap((page) => page.visits)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  return {
    visits: merged.slice(offset, offset + limit),
    total: pages.reduce((sum, page) => sum + page.total, 0),
  };
}
