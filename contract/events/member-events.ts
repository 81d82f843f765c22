import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/** Events the member service publishes. Consumers import these definitions; the schema is the contract. */

export const clubCreated = defineEvent(
  'club.created',
  1,
  z.object({
    clubId: z.uuid(),
    name: z.string(),
    slug: z.string(),
    status: z.enum(['ACTIVE', 'INACTIVE', 'SUSPENDED']),
  }),
);

const clubStatus = z.enum(['ACTIVE', 'INACTIVE', 'SUSPENDED']);

/** A club's registry entry or profile changed: which fields, not their values. */
export const clubUpdated = defineEvent(
  'club.updated',
  1,
  z.object({
    clubId: z.uuid(),
    fields: z.array(z.string()),
  }),
);

/** The network changed a club's status (suspended it, closed it, reopened it), with who and why. */
export const clubStatusChanged = defineEvent(
  'club.status_changed',
  1,
  z.object({
    clubId: z.uuid(),
    from: clubStatus,
    to: clubStatus,
    reason: z.string(),
    changedBy: z.uuid(),
    changedAt: z.iso.datetime({ offset: true }),
  }),
);

const memberStatus = z.enum(['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE']);

/** A member joined a club's roster. No profile data: consumers ask the member service when they need it. */
export const memberCreated = defineEvent(
  'member.created',
  1,
  z.object({
    memberId: z.uuid(),
    clubId: z.uuid(),
    memberNumber: z.string(),
    membershipType: z.string(),
    status: memberStatus,
    userId: z.uuid().nullable(),
  }),
);

/**
 * A lifecycle transition, with who made it and why. `userId`: the account the record belongs to
 * (null: none), so the auth service can withhold a suspended member's privileges; absent in events
 * written before it was added.
 */
export const memberStatusChanged = defineEvent(
  'member.status_changed',
  1,
  z.object({
    memberId: z.uuid(),
    clubId: z.uuid(),
    userId: z.uuid().nullable().optional(),
    from: memberStatus,
    to: memberStatus,
    reason: z.string(),
    changedBy: z.string(),
    changedAt: z.iso.datetime({ offset: true }),
  }),
);

/**
 * Profile fields changed: the names of the fields, never their personal values. The membership
 * type is the club's category, not personal data (member.created carries it too): its new value
 * travels when it changed, so a read model (analytics' membership distribution) follows it without
 * asking. Absent: unchanged, or an event written before it was added.
 */
export const memberUpdated = defineEvent(
  'member.updated',
  1,
  z.object({
    memberId: z.uuid(),
    clubId: z.uuid(),
    fields: z.array(z.string()),
    membershipType: z.string().optional(),
  }),
);

/**
 * A member's personal data was erased; every service holding the person's data reacts (the auth
 * service closes the account, or drops the club's tie when the account has others). `userId`: the
 * account the record belongs to (null: none); absent in events written before it was added. Sent
 * once per record: a second erasure of an erased record changes nothing and announces nothing.
 */
export const memberErased = defineEvent(
  'member.erased',
  1,
  z.object({
    memberId: z.uuid(),
    clubId: z.uuid(),
    userId: z.uuid().nullable().optional(),
    ledgerIdentity: z.string(),
  }),
);
