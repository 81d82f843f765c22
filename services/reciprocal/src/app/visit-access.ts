import { can, type Permission, type Principal } from '@clubland/authz';
import { ClubError, notFound } from '@clubland/errors';
import { createVisitQueries, type VisitView } from '../store/visit-queries.ts';
import type { ReciprocalDeps } from './deps.ts';

/**
 * Who may see and change a visit. A visit is a row of two clubs: its host's staff (visit:manage)
 * run the desk; its home club's staff see it and may cancel it; the member sees and cancels their
 * own; a network admin sees every one. Reads happen inside the tenant transaction of a club the
 * caller acts for, so row-level security has the last word, as in get-agreements.ts.
 */

/** Clubs where the caller's grants hold `permission` (never the network-wide null). */
export function clubsWhere(principal: Principal, permission: Permission): string[] {
  const clubs = new Set<string>();
  for (const grant of principal.grants) {
    if (grant.clubId !== null && can(principal, permission, grant.clubId)) clubs.add(grant.clubId);
  }
  return [...clubs];
}

/**
 * The clubs whose rows can hold the caller's own visits: their home club and every club where they
 * hold a role (a member record at a second club comes with its MEMBER grant).
 */
export function ownClubs(principal: Principal): string[] {
  const clubs = new Set<string>(principal.homeClubId ? [principal.homeClubId] : []);
  for (const grant of principal.grants) if (grant.clubId !== null) clubs.add(grant.clubId);
  return [...clubs];
}

/** Visits by id as the caller may see them; the others are absent, as unknown ids are. */
export async function findVisibleVisits(
  deps: ReciprocalDeps,
  principal: Principal | null,
  ids: readonly string[],
): Promise<VisitView[]> {
  if (!principal || ids.length === 0) return [];
  if (can(principal, 'network:manage', null)) {
    return deps.db.transaction((tx) => createVisitQueries(tx).findViewsByIds(ids));
  }
  const found = new Map<string, VisitView>();
  const staffClubs = clubsWhere(principal, 'visit:manage');
  for (const clubId of staffClubs) {
    const rows = await deps.db.readAtOnce(clubId, (tx) => createVisitQueries(tx).findViewsByIds(ids));
    for (const row of rows) found.set(row.id, row);
  }
  if (found.size < ids.length) {
    for (const clubId of ownClubs(principal)) {
      const rows = await deps.db.readAtOnce(clubId, (tx) =>
        createVisitQueries(tx).findViewsByIds(ids, { memberUserId: principal.userId }),
      );
      for (const row of rows) found.set(row.id, row);
    }
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

export type VisitActor = 'host' | 'home' | 'member';

/**
 * The visit, if the caller may see it, and which of `allowed` roles they act in (host desk first).
 * A visit they cannot see reads as missing (NOT_FOUND, as an unknown id); one they see but may not
 * change this way is FORBIDDEN (its existence is no secret to them).
 */
export async function requireVisitActor(
  deps: ReciprocalDeps,
  principal: Principal,
  visitId: string,
  allowed: readonly VisitActor[],
): Promise<{ visit: VisitView; actor: VisitActor }> {
  const [visit] = await findVisibleVisits(deps, principal, [visitId]);
  if (!visit) throw notFound('visit', visitId);
  const actor = allowed.find((role) => actsAs(principal, visit, role));
  if (!actor) {
    throw new ClubError('request.forbidden', 'missing permission visit:manage at the host club', {
      permission: 'visit:manage',
    });
  }
  return { visit, actor };
}

function actsAs(principal: Principal, visit: VisitView, actor: VisitActor): boolean {
  if (actor === 'host') return can(principal, 'visit:manage', visit.hostClubId);
  if (actor === 'home') return can(principal, 'visit:manage', visit.homeClubId);
  return visit.memberUserId !== null && visit.memberUserId === principal.userId;
}
