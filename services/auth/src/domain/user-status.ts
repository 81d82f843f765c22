/** An account's lifecycle. PENDING_VERIFICATION may sign in (it is a fresh account whose email is unproven). */
export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'LOCKED', 'PENDING_VERIFICATION'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Statuses an administrator may set; PENDING_VERIFICATION only ever comes from registration. */
export const SETTABLE_STATUSES: readonly UserStatus[] = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'LOCKED'];

/** The statuses that may sign in. */
export const SIGN_IN_STATUSES: readonly UserStatus[] = ['ACTIVE', 'PENDING_VERIFICATION'];

export function canSignIn(status: UserStatus): boolean {
  return SIGN_IN_STATUSES.includes(status);
}

/** The status after the user proved their email: a pending account becomes active, others keep theirs. */
export function statusAfterEmailVerified(status: UserStatus): UserStatus {
  return status === 'PENDING_VERIFICATION' ? 'ACTIVE' : status;
}
