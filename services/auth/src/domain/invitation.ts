import { isUuid } from '@clubland/errors';
import type { Checked } from './checked.ts';
import { normaliseEmail } from './email.ts';

/** Roles an invitation may carry: the club roles. NETWORK_ADMIN is granted, never sent by email. */
export const INVITED_ROLES = ['MEMBER', 'STAFF', 'CLUB_ADMIN'] as const;
export type InvitedRole = (typeof INVITED_ROLES)[number];

export interface InvitationRequest {
  clubId: string;
  email: string;
  role: InvitedRole;
}

/** A week: long enough for a new club's administrator to find the mail, short enough to go stale. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;

export function checkInvitation(input: {
  clubId: string;
  email: string;
  role: string;
}): Checked<InvitationRequest, 'clubId' | 'email' | 'role'> {
  if (!isUuid(input.clubId))
    return { ok: false, field: 'clubId', message: 'clubId must be a club id (UUID)' };
  const email = normaliseEmail(input.email);
  if (!email.ok) return { ok: false, field: 'email', message: email.message };
  const role = (INVITED_ROLES as readonly string[]).includes(input.role) ? (input.role as InvitedRole) : null;
  if (!role) return { ok: false, field: 'role', message: `role must be one of ${INVITED_ROLES.join(', ')}` };
  return { ok: true, value: { clubId: input.clubId.toLowerCase(), email: email.value, role } };
}
