import { can, type Principal } from '@clubland/authz';
import { ClubError, invalidInput, isUuid, notFound } from '@clubland/errors';
import { checkName } from '../domain/registration.ts';
import { canSignIn, SETTABLE_STATUSES, type UserStatus } from '../domain/user-status.ts';
import { createSessionQueries } from '../store/session-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { currentPrincipal, requireCaller } from './access.ts';
import { audit } from './audit.ts';
import { hidden, keepANetworkAdmin, requireAuthorityOver, requireOpenAccount } from './authority.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { announceAuthzChanges, announceRevokedSessions, countAuthzChange } from './revocation.ts';
import { type UserView, viewOf } from './user-view.ts';
import { readCachedView, rememberView } from './user-view-cache.ts';

/** One user: the caller themself, or anyone at a club where the caller holds member:read. Empty id: the caller. */
export async function getUser(deps: AuthDeps, meta: RequestMeta, userId: string): Promise<UserView> {
  const caller = await requireCaller(deps, meta);
  const id = targetId(caller, userId);
  if (id === caller.userId) {
    const cached = await readCachedView(deps, id);
    if (cached) return cached;
  }
  const view = await deps.db.transaction(async (tx) => {
    const principal = id === caller.userId ? caller : await currentPrincipal(tx, caller);
    const user = await createUserQueries(tx).findById(id);
    if (!user) throw hidden(principal, id);
    if (user.id !== caller.userId && !can(principal, 'member:read', user.clubId)) throw hidden(principal, id);
    return viewOf(tx, user);
  });
  if (id === caller.userId) await rememberView(deps, view);
  return view;
}

export interface UserChanges {
  firstName?: string;
  lastName?: string;
  status?: UserStatus;
}

/**
 * Names: the user themself, or member:write at the user's home club. Status: member:write at the
 * home club only (not even one's own). Either way, someone else's account only with authority over
 * every role it holds (authority.ts: a club admin never changes a network admin, another club's
 * admin or a peer admin, whatever their home club). The last network administrator who can sign
 * in keeps that ability. An account that can no longer sign in loses its sessions.
 */
export async function updateUser(
  deps: AuthDeps,
  meta: RequestMeta,
  userId: string,
  changes: UserChanges,
): Promise<UserView> {
  const clean = checkChanges(changes);
  const caller = await requireCaller(deps, meta);
  const id = targetId(caller, userId);
  const now = deps.clock();

  const { view, revoked, counted } = await deps.db.transaction(async (tx) => {
    const principal = await currentPrincipal(tx, caller);
    const users = createUserQueries(tx);
    const user = await users.findById(id);
    if (!user) throw hidden(principal, id);
    const isSelf = user.id === principal.userId;
    const mayWrite = can(principal, 'member:write', user.clubId);
    if (!isSelf && !mayWrite && !can(principal, 'member:read', user.clubId)) throw hidden(principal, id);
    if (!isSelf && !mayWrite) throw new ClubError('request.forbidden', 'you may not change this user');
    if (clean.status !== undefined && !mayWrite) {
      throw new ClubError('request.forbidden', "changing an account's status needs member:write at its club");
    }
    const standing = await requireAuthorityOver(tx, principal, user);
    requireOpenAccount(user);
    if (clean.status !== undefined && !canSignIn(clean.status)) await keepANetworkAdmin(tx, user, standing);
    const updated = await users.update(user.id, clean, now);
    if (!updated) throw notFound('user', id);
    const revoked =
      clean.status !== undefined && !canSignIn(clean.status)
        ? await createSessionQueries(tx).revokeAllSessions(user.id, 'account_disabled', now)
        : [];
    // A status change changes what the account may do: tokens minted before it are refused at once.
    const counted =
      clean.status !== undefined && clean.status !== user.status ? await countAuthzChange(tx, user.id) : [];
    await audit(tx, {
      userId: user.id,
      event: 'user.updated',
      meta,
      details: {
        by: principal.userId,
        fields: Object.keys(clean),
        ...(clean.status ? { status: clean.status } : {}),
      },
      at: now,
    });
    const version = counted[0]?.version ?? updated.authzVersion;
    return { view: await viewOf(tx, { ...updated, authzVersion: version }), revoked, counted };
  });
  await announceRevokedSessions(deps, revoked);
  await announceAuthzChanges(deps, counted);
  await rememberView(deps, view);
  return view;
}

function targetId(caller: Principal, userId: string): string {
  if (userId === '') return caller.userId;
  if (!isUuid(userId)) throw invalidInput('userId', 'userId must be a user id (UUID)');
  return userId.toLowerCase();
}

function checkChanges(changes: UserChanges): UserChanges {
  const clean: UserChanges = {};
  if (changes.firstName !== undefined) {
    const name = checkName(changes.firstName, 'firstName');
    if (!name.ok) throw invalidInput(name.field, name.message);
    clean.firstName = name.value;
  }
  if (changes.lastName !== undefined) {
    const name = checkName(changes.lastName, 'lastName');
    if (!name.ok) throw invalidInput(name.field, name.message);
    clean.lastName = name.value;
  }
  if (changes.status !== undefined) {
    if (!SETTABLE_STATUSES.includes(changes.status)) {
      throw invalidInput('status', `status must be one of ${SETTABLE_STATUSES.join(', ')}`);
    }
    clean.status = changes.status;
  }
  return clean;
}
