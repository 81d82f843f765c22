import type { MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { FacilitySettingsSchema } from '@clubland/contract/club/v1/facilities';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClubServiceHarness,
  callerOf,
  eventually,
  networkAdminCaller,
  principalWith,
  setupClubService,
} from './setup.ts';

/** Issue 32, items 1 and 2 at the service tier: facilities, their rules, visitors and availability. */
describe('facilities', () => {
  let harness: ClubServiceHarness;
  let clubA: string;
  let clubB: string;
  const adminA = () => callerOf(principalWith('CLUB_ADMIN', clubA));
  const memberA = () => callerOf(principalWith('MEMBER', clubA));
  const memberB = () => callerOf(principalWith('MEMBER', clubB));

  beforeAll(async () => {
    harness = await setupClubService();
    clubA = await harness.seedClub('Alpha');
    clubB = await harness.seedClub('Bravo');
    await harness.memberService.clubRegistry.updateClub({
      caller: networkAdminCaller(),
      clubId: clubA,
      timezone: 'Europe/London',
    });
  });
  afterAll(() => harness.close());

  const settings = (init: MessageInitShape<typeof FacilitySettingsSchema>) =>
    create(FacilitySettingsSchema, init);
  const courtInit = (): MessageInitShape<typeof FacilitySettingsSchema> => ({
    name: 'Court 1',
    facilityType: 'TENNIS_COURT',
    capacity: 1,
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    advanceBookingDays: 30,
    openingHours: { hours: [{ day: 'MONDAY', opens: '07:00', closes: '22:00' }] },
    allowsReciprocalVisitors: true,
  });
  const court = () => settings(courtInit());
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return 'ok';
    } catch (error) {
      const { code, message, details } = error as { code: string; message: string; details?: object };
      return `${code} ${message} ${JSON.stringify(details ?? {})}`;
    }
  };

  it('creates a facility for a club admin, announces it, and refuses a member', async () => {
    const { facility } = await harness.facilities.createFacility({
      caller: adminA(),
      clubId: clubA,
      settings: court(),
    });
    expect(facility).toMatchObject({
      clubId: clubA,
      name: 'Court 1',
      facilityType: 'TENNIS_COURT',
      status: 'ACTIVE',
    });
    await eventually(() =>
      expect(
        harness.published.some((event) => event.type === 'facility.created' && event.tenantId === clubA),
      ).toBe(true),
    );
    expect(
      await codeOf(
        harness.facilities.createFacility({ caller: memberA(), clubId: clubA, settings: court() }),
      ),
    ).toMatch(/request.forbidden/);
  });

  it('names the field at fault and writes nothing', async () => {
    const before = (await harness.facilities.listFacilities({ caller: adminA(), clubId: clubA })).total;
    for (const [bad, field] of [
      [{ openingHours: { hours: [{ day: 'MONDAY', opens: '7:00', closes: '22:00' }] } }, 'operatingHours'],
      [{ openingHours: { hours: [{ day: 'MONDAY', opens: '22:00', closes: '07:00' }] } }, 'operatingHours'],
      [{ capacity: 0 }, 'capacity'],
      [{ slotMinutes: 7 }, 'slotDuration'],
      [{ minBookingMinutes: 90 }, 'minBookingDuration'],
      [{ bufferMinutes: 300 }, 'bufferMinutes'],
      [{ advanceBookingDays: 400 }, 'advanceBookingDays'],
      [{ facilityType: 'HELIPAD' }, 'type'],
      [{ cancellationFee: -1n }, 'cancellationFee'],
      [{ maxBookingsPerWeek: 0 }, 'maxBookingsPerWeek'],
    ] as [MessageInitShape<typeof FacilitySettingsSchema>, string][]) {
      const message = await codeOf(
        harness.facilities.createFacility({
          caller: adminA(),
          clubId: clubA,
          settings: settings({ ...courtInit(), ...bad } as never),
        }),
      );
      expect(
        message,
        JSON.stringify(bad, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
      ).toContain(`${field}:`);
    }
    expect((await harness.facilities.listFacilities({ caller: adminA(), clubId: clubA })).total).toBe(before);
  });

  it('updates only what is given, and keeps the rest', async () => {
    const { facility } = await harness.facilities.createFacility({
      caller: adminA(),
      clubId: clubA,
      settings: court(),
    });
    const { facility: updated } = await harness.facilities.updateFacility({
      caller: adminA(),
      id: facility!.id,
      settings: settings({ name: 'Centre Court', bufferMinutes: 15, cancellationDeadlineHours: 48 }),
    });
    expect(updated).toMatchObject({
      name: 'Centre Court',
      bufferMinutes: 15,
      cancellationDeadlineHours: 48,
      capacity: 1,
    });
    expect(updated!.openingHours).toEqual([
      expect.objectContaining({ day: 'MONDAY', opens: '07:00', closes: '22:00' }),
    ]);
  });

  it('reads slots in the club’s time zone, and closes them for maintenance', async () => {
    const now = new Date();
    const { facility } = await harness.facilities.createFacility({
      caller: adminA(),
      clubId: clubA,
      settings: court(),
    });
    // The next Monday at least two days away, in London.
    const day = new Date(now.getTime() + 2 * 86_400_000);
    while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);
    const { slots, timezone } = await harness.facilities.availableSlots({
      caller: memberA(),
      facilityId: facility!.id,
      date,
      slotMinutes: 60,
    });
    expect(timezone).toBe('Europe/London');
    expect(slots).toHaveLength(15);
    expect(slots.every((slot) => slot.available)).toBe(true);
    const first = slots[0]!;
    const { closure } = await harness.facilities.addClosure({
      caller: adminA(),
      facilityId: facility!.id,
      kind: 'MAINTENANCE',
      startsAt: first.start,
      endsAt: first.end,
      reason: 'resurfacing',
    });
    const check = await harness.facilities.checkAvailability({
      caller: memberA(),
      facilityId: facility!.id,
      start: first.start,
      end: first.end,
    });
    expect(check).toMatchObject({ available: false, reasons: ['UNDER_MAINTENANCE'] });
    await harness.facilities.removeClosure({
      caller: adminA(),
      facilityId: facility!.id,
      closureId: closure!.id,
    });
    expect(
      (
        await harness.facilities.checkAvailability({
          caller: memberA(),
          facilityId: facility!.id,
          start: first.start,
          end: first.end,
        })
      ).available,
    ).toBe(true);
    // 06:00-07:00 local is before opening.
    const early = new Date(first.start!.seconds ? Number(first.start!.seconds) * 1000 - 3_600_000 : 0);
    expect(
      (
        await harness.facilities.checkAvailability({
          caller: memberA(),
          facilityId: facility!.id,
          start: timestampFromDate(early),
          end: first.start,
        })
      ).reasons,
    ).toContain('OUTSIDE_OPENING_HOURS');
  });

  it('deletes a facility without bookings, and it is gone', async () => {
    const { facility } = await harness.facilities.createFacility({
      caller: adminA(),
      clubId: clubA,
      settings: court(),
    });
    expect(await codeOf(harness.facilities.deleteFacility({ caller: memberA(), id: facility!.id }))).toMatch(
      /request.forbidden/,
    );
    await harness.facilities.deleteFacility({ caller: adminA(), id: facility!.id });
    expect(
      (await harness.facilities.getFacilities({ caller: adminA(), ids: [facility!.id] })).facilities,
    ).toEqual([]);
    await eventually(() =>
      expect(harness.published.some((event) => event.type === 'facility.deleted')).toBe(true),
    );
  });

  it('refuses to delete a facility with future bookings, with their count (CONFLICT)', async () => {
    const { facility } = await harness.facilities.createFacility({
      caller: adminA(),
      clubId: clubA,
      settings: court(),
    });
    // Two bookings, written as the bookings' use cases would leave them: one open, one cancelled.
    const later = Date.now() + 3 * 86_400_000;
    const booking = (status: string) => [
      uuidv7(),
      clubA,
      facility!.id,
      new Date(later),
      new Date(later + 3_600_000),
      status,
      uuidv7(),
    ];
    for (const values of [booking('CONFIRMED'), booking('CANCELLED')]) {
      await harness.db.withTenant(clubA, (tx) =>
        tx.query(
          `INSERT INTO club.bookings (id, club_id, facility_id, unit, user_id, starts_at, ends_at, blocked_until,
             status, currency, payment_status, created_by, created_at, updated_at)
           VALUES ($1, $2, $3, 1, $7, $4, $5, $5, $6, 'GBP', 'PENDING', $7, now(), now())`,
          values,
        ),
      );
    }
    const message = await codeOf(harness.facilities.deleteFacility({ caller: adminA(), id: facility!.id }));
    expect(message).toMatch(/^facility.has_future_bookings .*"futureBookings":1/);
    expect(
      (await harness.facilities.getFacilities({ caller: adminA(), ids: [facility!.id] })).facilities,
    ).toHaveLength(1);
  });

  describe('visitors from another club', () => {
    let courtId: string;
    let gymId: string;
    const agreementId = uuidv7();
    let at = Date.parse('2026-01-01T00:00:00Z');
    const announce = async (to: 'ACTIVE' | 'SUSPENDED', allowedFacilities: string[]) => {
      at += 60_000;
      await harness.bus.publish([
        agreementStatusChanged.build({
          tenantId: clubA,
          correlationId: null,
          data: {
            agreementId,
            proposerClubId: clubA,
            partnerClubId: clubB,
            from: null,
            to,
            reason: null,
            changedBy: null,
            changedAt: new Date(at).toISOString(),
            startsOn: '2026-01-01',
            endsOn: null,
            allowedFacilities,
          },
        }),
      ]);
    };
    const seenByB = async () =>
      (await harness.facilities.getFacilities({ caller: memberB(), ids: [courtId, gymId] })).facilities.map(
        (f) => f.name,
      );

    beforeAll(async () => {
      courtId = (
        await harness.facilities.createFacility({
          caller: adminA(),
          clubId: clubA,
          settings: settings({ ...courtInit(), name: 'Visitor court' }),
        })
      ).facility!.id;
      gymId = (
        await harness.facilities.createFacility({
          caller: adminA(),
          clubId: clubA,
          settings: settings({ ...courtInit(), name: 'Gym', facilityType: 'GYM' }),
        })
      ).facility!.id;
    });

    it('are refused before an agreement: nothing seen, nothing listed, no slots', async () => {
      expect(await seenByB()).toEqual([]);
      expect((await harness.facilities.listFacilities({ caller: memberB(), clubId: clubA })).total).toBe(0);
      expect(
        await codeOf(
          harness.facilities.availableSlots({ caller: memberB(), facilityId: courtId, date: '2026-06-01' }),
        ),
      ).toMatch(/^entity.not_found/);
    });

    it('see the facility types an ACTIVE agreement allows, and only those', async () => {
      await announce('ACTIVE', ['TENNIS_COURT']);
      await eventually(async () => expect(await seenByB()).toEqual(['Visitor court']));
      const listed = await harness.facilities.listFacilities({ caller: memberB(), clubId: clubA });
      expect(listed.facilities.map((f) => f.facilityType)).toEqual(
        listed.facilities.map(() => 'TENNIS_COURT'),
      );
      await harness.facilities.availableSlots({ caller: memberB(), facilityId: courtId, date: '2026-06-01' });
    });

    it('are refused again once the agreement is SUSPENDED; a redelivered older event changes nothing', async () => {
      await announce('SUSPENDED', ['TENNIS_COURT']);
      await eventually(async () => expect(await seenByB()).toEqual([]));
      await harness.bus.publish([
        agreementStatusChanged.build({
          tenantId: clubA,
          correlationId: null,
          data: {
            agreementId,
            proposerClubId: clubA,
            partnerClubId: clubB,
            from: null,
            to: 'ACTIVE',
            reason: null,
            changedBy: null,
            changedAt: '2026-01-01T00:00:30Z',
            startsOn: '2026-01-01',
            endsOn: null,
          },
        }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await seenByB()).toEqual([]);
    });
  });
});
