import { describe, expect, it } from 'vitest';
import { checkBookingTransition, initialStatus, isOpen, nextBookingStatuses } from './booking-lifecycle.ts';

describe('the booking lifecycle', () => {
  it('runs requested, confirmed, checked in, completed', () => {
    expect(checkBookingTransition('REQUESTED', 'CONFIRMED').ok).toBe(true);
    expect(checkBookingTransition('CONFIRMED', 'CHECKED_IN').ok).toBe(true);
    expect(checkBookingTransition('CHECKED_IN', 'COMPLETED').ok).toBe(true);
  });

  it('cancels requested and confirmed bookings, not checked-in ones', () => {
    expect(checkBookingTransition('REQUESTED', 'CANCELLED').ok).toBe(true);
    expect(checkBookingTransition('CONFIRMED', 'CANCELLED').ok).toBe(true);
    expect(checkBookingTransition('CHECKED_IN', 'CANCELLED')).toMatchObject({
      ok: false,
      code: 'booking.transition_refused',
    });
  });

  it('marks only a confirmed booking a no-show', () => {
    expect(checkBookingTransition('CONFIRMED', 'NO_SHOW').ok).toBe(true);
    expect(checkBookingTransition('REQUESTED', 'NO_SHOW').ok).toBe(false);
    expect(checkBookingTransition('CHECKED_IN', 'NO_SHOW').ok).toBe(false);
  });

  it('refuses every move out of a final status, and says so', () => {
    for (const final of ['COMPLETED', 'CANCELLED', 'NO_SHOW'] as const) {
      expect(nextBookingStatuses(final)).toEqual([]);
      const check = checkBookingTransition(final, 'CONFIRMED');
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).toContain('final state');
    }
    const again = checkBookingTransition('CONFIRMED', 'CONFIRMED');
    expect(!again.ok && again.message).toBe('the booking is already CONFIRMED');
  });

  it('starts confirmed unless approval is needed or the booker is a visitor', () => {
    expect(initialStatus({ requiresApproval: false, byVisitor: false })).toBe('CONFIRMED');
    expect(initialStatus({ requiresApproval: true, byVisitor: false })).toBe('REQUESTED');
    expect(initialStatus({ requiresApproval: false, byVisitor: true })).toBe('REQUESTED');
  });

  it('holds the unit while requested, confirmed or checked in', () => {
    expect(['REQUESTED', 'CONFIRMED', 'CHECKED_IN'].every((s) => isOpen(s as never))).toBe(true);
    expect(['COMPLETED', 'CANCELLED', 'NO_SHOW'].some((s) => isOpen(s as never))).toBe(false);
  });
});
