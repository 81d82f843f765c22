import type { Principal } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError, isClubError } from '@clubland/errors';
import { canSignIn } from '../domain/user-status.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createSessionQueries } from '../store/session-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { hankoPrincipal } from './hanko.ts';

/**
 * The caller, from `meta.accessToken` (verified here: the service does not trust the gateway's
 * reading). Throws `request.unauthenticated` without a valid, unrevoked token.
 * Call it before opening a transaction: a first JWKS fetch reads the database.
 */
export async function requireCaller(deps: AuthDeps, meta: RequestMeta): Promise<Principal> {
  if (meta.accessToken === '') throw new ClubError('request.unauthenticated', 'sign in first');
  try {
    const { expiresAt: _, ...principal } = await deps.verifier.verify(meta.accessToken);
    return principal;
  } catch (error) {
    // Not one of ours: with Hanko configured, a linked Hanko session token is a caller too.
    if (deps.settings.hankoApiUrl && isClubError(error) && error.code === 'request.unauthenticated') {
      return hankoPrincipal(deps, meta.accessToken);
    }
    throw error;
  }
}

/**
 * The caller as the database knows them now, for decisions that change who may do what (granting
 * roles, suspending accounts): the session must still be live and the account able to sign in,
 * and the grants are today's, not those frozen into the token up to one lifetime ago.
 */
export async function currentPrincipal(tx: Tx, caller: Principal): Promise<Principal> {
  if (caller.sessionId !== null && !(await createSessionQueries(tx).isSessionLive(caller.sessionId))) {
    throw new ClubError('request.unauthenticated', 'the session has ended; sign in again');
  }
  const user = await createUserQueries(tx).findById(caller.userId);
  if (!user || !canSignIn(user.status)) throw new ClubError('request.unauthenticated', 'sign in again');
  return { ...caller, homeClubId: user.clubId, grants: await createRoleQueries(tx).activeGrants(user.id) };
}
