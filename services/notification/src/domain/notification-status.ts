import { type Checked, refuseInput } from './refusal.ts';

/**
 * A notification's status, as the contract's NotificationStatus names it, for one recipient:
 *
 *   PENDING ──sent──▶ SENT ──delivered──▶ DELIVERED ──read──▶ READ (final)
 *      │  └───────────────delivered (in-app)──▶ │
 *      └──failed──▶ FAILED ──retry──▶ PENDING
 *
 * SENT and DELIVERED may fail too (a bounce, a provider's late report). A member reads what
 * they see in the app whatever its other channels did, so READ follows any status; reading twice
 * is no change, not an error (markNotificationRead is idempotent).
 */
export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'DELIVERED', 'FAILED', 'READ'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

const TRANSITIONS: Readonly<Record<NotificationStatus, readonly NotificationStatus[]>> = {
  PENDING: ['SENT', 'DELIVERED', 'FAILED', 'READ'],
  SENT: ['DELIVERED', 'FAILED', 'READ'],
  DELIVERED: ['FAILED', 'READ'],
  FAILED: ['PENDING', 'READ'],
  READ: [],
};

/** `changed: false` when the notification already is `to` and that is harmless (READ). */
export function checkStatusTransition(
  from: NotificationStatus,
  to: NotificationStatus,
): Checked<{ from: NotificationStatus; to: NotificationStatus; changed: boolean }> {
  if (from === to && to === 'READ') return { ok: true, value: { from, to, changed: false } };
  if (TRANSITIONS[from].includes(to)) return { ok: true, value: { from, to, changed: true } };
  return { ...refuseInput('status', `a ${from} notification cannot become ${to}`), code: 'entity.conflict' };
}

/**
 * Checks a sender's schedule (SendNotificationInput.scheduledFor and expiresAt): not in the past,
 * at most a year ahead, expiring after it is due. Null means now / never.
 */
export function checkSchedule(
  now: Date,
  scheduledFor: Date | null,
  expiresAt: Date | null,
): Checked<{ sendAt: Date; expiresAt: Date | null }> {
  const yearAhead = now.getTime() + 366 * 86_400_000;
  // A minute of grace for clocks and round trips: "now" from a phone is a little in our past.
  if (scheduledFor && scheduledFor.getTime() < now.getTime() - 60_000) {
    return refuseInput('input.scheduledFor', 'must not be in the past');
  }
  if (scheduledFor && scheduledFor.getTime() > yearAhead) {
    return refuseInput('input.scheduledFor', 'must be within a year');
  }
  const sendAt = scheduledFor && scheduledFor.getTime() > now.getTime() ? scheduledFor : now;
  if (expiresAt && expiresAt.getTime() <= sendAt.getTime()) {
    return refuseInput('input.expiresAt', 'must be after the notification is sent');
  }
  return { ok: true, value: { sendAt, expiresAt } };
}

/** A delivery due at `now` of a notification that expired is dropped, not sent late. */
export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
