import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/** Events the auth service publishes. Consumers import these definitions; the schema is the contract. */

const role = z.enum(['MEMBER', 'STAFF', 'CLUB_ADMIN', 'NETWORK_ADMIN']);

/** A new account exists (with the MEMBER role at its home club). tenantId: the home club. */
export const userRegistered = defineEvent(
  'user.registered',
  1,
  z.object({
    userId: z.uuid(),
    clubId: z.uuid(),
    email: z.string(),
    username: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    status: z.enum(['ACTIVE', 'INACTIVE', 'SUSPENDED', 'LOCKED', 'PENDING_VERIFICATION']),
  }),
);

/** A role was granted. tenantId: the club it applies at (null for NETWORK_ADMIN). */
export const userRoleGranted = defineEvent(
  'user.role_granted',
  1,
  z.object({
    userId: z.uuid(),
    role,
    clubId: z.uuid().nullable(),
    /** The admin who granted it; null for grants the system makes (registration). */
    grantedBy: z.uuid().nullable(),
  }),
);

/** A role was revoked. tenantId: the club it applied at (null for NETWORK_ADMIN). */
export const userRoleRevoked = defineEvent(
  'user.role_revoked',
  1,
  z.object({
    userId: z.uuid(),
    role,
    clubId: z.uuid().nullable(),
    revokedBy: z.uuid(),
  }),
);
