import { describe, expect, it } from 'vitest';
import { cancellationFeeOf, checkRsvpTransition, placeRsvp, promotionsFrom } from './rsvp-lifecycle.ts';

describe('RSVP lifecycle', () => {
  it('seats a YES when its party fits, else waitlists it', () => {
    expect(placeRsvp({ response: 'YES', guestCount: 1, seatsFree: 2, requiresApproval: false })).toEqual({
      status: 'CONFIRMED',
      seats: 2,
    });
    expect(placeRsvp({ response: 'YES', guestCount: 2, seatsFree: 2, requiresApproval: false })).toEqual({
      status: 'WAITLISTED',
      seats: 0,
    });
  });

  it('holds the seats of a YES as PENDING where staff approve each', () => {
    expect(placeRsvp({ response: 'YES', guestCount: 0, seatsFree: 5, requiresApproval: true })).toEqual({
      status: 'PENDING',
      seats: 1,
    });
  });

  it('gives MAYBE and NO no seat', () => {
    expect(placeRsvp({ response: 'MAYBE', guestCount: 0, seatsFree: 5, requiresApproval: false }).seats).toBe(
      0,
    );
    expect(placeRsvp({ response: 'NO', guestCount: 0, seatsFree: 0, requiresApproval: false }).status).toBe(
      'PENDING',
    );
  });

  it('promotes the waitlist in order and stops at the first party that does not fit', () => {
    const waitlist = [
      { id: 'a', seatsWanted: 1 },
      { id: 'b', seatsWanted: 3 },
      { id: 'c', seatsWanted: 1 },
    ];
    expect(promotionsFrom(waitlist, 3).map((entry) => entry.id)).toEqual(['a']);
    expect(promotionsFrom(waitlist, 5).map((entry) => entry.id)).toEqual(['a', 'b', 'c']);
    expect(promotionsFrom(waitlist, 0)).toEqual([]);
  });

  it('refuses to revive a cancelled RSVP', () => {
    expect(checkRsvpTransition('CANCELLED', 'CONFIRMED').ok).toBe(false);
    expect(checkRsvpTransition('WAITLISTED', 'CONFIRMED').ok).toBe(true);
  });

  it('charges the fee only inside the free-cancellation window of a paid event', () => {
    const startsAt = new Date('2026-06-10T19:00:00Z');
    const terms = { startsAt, freeCancellationDays: 2, feePercent: 50, paymentAmount: 4000 };
    expect(cancellationFeeOf({ ...terms, now: new Date('2026-06-08T18:59:00Z') })).toBe(0);
    expect(cancellationFeeOf({ ...terms, now: new Date('2026-06-08T19:00:00Z') })).toBe(2000);
    expect(cancellationFeeOf({ ...terms, paymentAmount: 0, now: startsAt })).toBe(0);
  });
});
