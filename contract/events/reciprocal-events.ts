import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events the reciprocal service publishes. Every one names both clubs it concerns, so a consumer
 * (the member service's read model of agreements, the gateway's subscriptions, notifications)
 * can tell who may see it without asking. Ids and statuses only: no member's personal data.
 */

export const AGREEMENT_STATUSES = [
  'DRAFT',
  'PENDING',
  'APPROVED',
  'REJECTED',
  'ACTIVE',
  'SUSPENDED',
  'EXPIRED',
  'CANCELLED',
  'TERMINATED',
] as const;

/** An agreement was drafted (`from` null) or moved through its lifecycle. */
export const agreementStatusChanged = defineEvent(
  'agreement.status_changed',
  1,
  z.object({
    agreementId: z.uuid(),
    proposerClubId: z.uuid(),
    partnerClubId: z.uuid(),
    from: z.enum(AGREEMENT_STATUSES).nullable(),
    to: z.enum(AGREEMENT_STATUSES),
    reason: z.string().nullable(),
    /** Null for the system (the expiry job). */
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
    /** First and last day in force (YYYY-MM-DD); ends null: open-ended. */
    startsOn: z.iso.date(),
    endsOn: z.iso.date().nullable(),
    /** FacilityType names a visitor may use under the agreement; empty: all; absent (older publishers): unknown. */
    allowedFacilities: z.array(z.string()).optional(),
  }),
);

export const LETTER_STATUSES = ['PENDING', 'APPROVED', 'USED', 'EXPIRED', 'DECLINED', 'REVOKED'] as const;

/** A letter of introduction was issued (`from` null), decided, used, revoked or expired. */
export const letterStatusChanged = defineEvent(
  'letter.status_changed',
  1,
  z.object({
    letterId: z.uuid(),
    homeClubId: z.uuid(),
    hostClubId: z.uuid(),
    memberId: z.uuid(),
    memberUserId: z.uuid().nullable(),
    from: z.enum(LETTER_STATUSES).nullable(),
    to: z.enum(LETTER_STATUSES),
    reason: z.string().nullable(),
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
    arrivesOn: z.iso.date(),
    departsOn: z.iso.date(),
    delivery: z.enum(['EMAIL', 'QR_CODE', 'API', 'ALL']),
  }),
);

export const VISIT_STATUSES = ['PLANNED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW'] as const;

/** A visit was checked in, checked out, cancelled or marked a no-show. */
export const visitStatusChanged = defineEvent(
  'visit.status_changed',
  1,
  z.object({
    visitId: z.uuid(),
    homeClubId: z.uuid(),
    hostClubId: z.uuid(),
    memberId: z.uuid(),
    memberUserId: z.uuid().nullable(),
    agreementId: z.uuid(),
    from: z.enum(VISIT_STATUSES).nullable(),
    to: z.enum(VISIT_STATUSES),
    reason: z.string().nullable(),
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
    /** The visit's times as they stand after the change, for subscribers' displays (absent: unknown). */
    checkedInAt: z.iso.datetime({ offset: true }).nullable().optional(),
    checkedOutAt: z.iso.datetime({ offset: true }).nullable().optional(),
    createdAt: z.iso.datetime({ offset: true }).optional(),
    guestCount: z.number().int().min(0).optional(),
  }),
);
