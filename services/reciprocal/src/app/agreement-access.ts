import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId, type Db, type Tx } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import type { AgreementSide } from '../domain/agreement-lifecycle.ts';
import type { AgreementRow } from '../store/agreement-queries.ts';

/**
 * On whose behalf an agreement call acts: a club (its admin, or a network admin naming it), or the
 * network itself (a network admin naming no club). A club's calls run in its tenant transaction,
 * so row-level security shows only agreements it is party to; the network's see every one.
 */
export interface Acting {
  principal: Principal;
  /** Null: the network. */
  clubId: string | null;
}

/**
 * The club a call acts for: the one it names, else the caller's home club; a network admin who
 * names none acts for the network. Throws FORBIDDEN unless the caller holds `permission` there.
 */
export function actingFor(
  principal: Principal | null,
  requestedClubId: string,
  permission: 'agreement:manage' | 'visit:manage' = 'agreement:manage',
): Acting {
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  if (requestedClubId !== '') {
    const clubId = assertClubId(requestedClubId);
    authorize(principal, permission, clubId);
    return { principal, clubId };
  }
  if (principal.homeClubId && can(principal, permission, principal.homeClubId)) {
    return { principal, clubId: principal.homeClubId };
  }
  if (can(principal, 'network:manage', null)) return { principal, clubId: null };
  if (!principal.homeClubId)
    throw invalidInput('clubId', 'clubId is required when the caller has no home club');
  authorize(principal, permission, principal.homeClubId);
  return { principal, clubId: principal.homeClubId };
}

/** Reads: agreement:manage, or visit:manage (the front desk's staff need the terms). */
export function readerFor(principal: Principal | null, requestedClubId: string): Acting {
  const clubId = requestedClubId !== '' ? requestedClubId : (principal?.homeClubId ?? '');
  if (principal && clubId !== '' && !can(principal, 'agreement:manage', clubId)) {
    if (can(principal, 'visit:manage', clubId)) return { principal, clubId: assertClubId(clubId) };
  }
  return actingFor(principal, requestedClubId);
}

/** The acting club's transaction, or the network's. */
export function inScopeOf<T>(db: Db, acting: Acting, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return acting.clubId === null ? db.transaction(fn) : db.withTenant(acting.clubId, fn);
}

/** Which side of the agreement the acting club is on (row-level security already made it a party). */
export function sideOf(acting: Acting, agreement: AgreementRow): AgreementSide {
  if (acting.clubId === null) return 'network';
  return acting.clubId === agreement.proposerClubId ? 'proposer' : 'partner';
}
