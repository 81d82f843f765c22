import { type Permission, permissionsAt, type RoleGrant } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import type { UserStatus } from '../domain/user-status.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries, type UserRow } from '../store/user-queries.ts';
import { isMfaEnabled } from './mfa.ts';

/** A user as the service shows it (rpc.ts maps it to the proto User): no hashes, no secrets. */
export interface UserView {
  id: string;
  /** The home club; null for a network administrator who belongs to no club. */
  clubId: string | null;
  email: string;
  username: string | null;
  firstName: string;
  lastName: string;
  status: UserStatus;
  roles: RoleGrant[];
  /** What the roles allow at the home club. */
  permissions: Permission[];
  emailVerified: boolean;
  mfaEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
  /** The count of changes to roles and status the view was read at; tokens minted from it carry it. */
  authzVersion: number;
}

export async function loadUserView(tx: Tx, userId: string): Promise<UserView | null> {
  const user = await createUserQueries(tx).findById(userId);
  return user ? viewOf(tx, user) : null;
}

/**
 * The view of a row already read in this transaction. The row (with its authorisation version) must
 * have been read before the grants are, as here: a token minted from the view then never carries a
 * version newer than its grants.
 */
export async function viewOf(tx: Tx, user: UserRow): Promise<UserView> {
  const roles = await createRoleQueries(tx).activeGrants(user.id);
  return {
    id: user.id,
    clubId: user.clubId,
    email: user.email,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    status: user.status,
    roles,
    permissions: permissionsAt(roles, user.clubId),
    emailVerified: user.emailVerifiedAt !== null,
    mfaEnabled: await isMfaEnabled(tx, user.id),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
    authzVersion: user.authzVersion,
  };
}
