import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Booking, BookingService } from '@clubland/contract/club/v1/bookings';
import type { ClubEventService, Event } from '@clubland/contract/club/v1/events';
import type { Facility, FacilityService } from '@clubland/contract/club/v1/facilities';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { Logger } from '@clubland/log';
import type { Client } from '@connectrpc/connect';
import {
  DEMO_BOOKINGS,
  DEMO_EVENTS,
  DEMO_FACILITIES,
  type DemoBooking,
  type DemoEvent,
  type DemoFacility,
} from './club-operations.ts';
import { DEMO_CLUBS } from './demo-network.ts';
import type { ClubActors } from './seed-reciprocal.ts';

/**
 * The club-operations side of the demo network, through the club service's RPC clients as the
 * clubs' own people would act: each club's administrator sets up its facilities and its events;
 * the members book for themselves (and cancel the bookings the demo shows cancelled) and RSVP.
 * Idempotent: a facility is found again by its name at its club, a booking by its member,
 * facility and purpose, an event by its title, an RSVP by its member and event; what exists is
 * left as it is. Only the future can be booked (the service refuses a start in the past): the
 * week is the one after the seed's day, and it becomes history as the days pass.
 */

export interface ClubOperationsClients {
  facilities: Client<typeof FacilityService>;
  bookings: Client<typeof BookingService>;
  clubEvents: Client<typeof ClubEventService>;
}

export interface ClubOperationsSeedOptions {
  clients: ClubOperationsClients;
  /** By slug, every demo club. */
  clubs: ReadonlyMap<string, ClubActors>;
  /** The members who book and RSVP, by member number: their record's id and their signed-in caller. */
  members: ReadonlyMap<string, { memberId: string; caller: CallerContext }>;
  clock: () => Date;
  log: Logger;
}

export interface DemoClubOperationsResult {
  facilities: { id: string; club: string; name: string; type: string; capacity: number }[];
  bookings: {
    id: string;
    club: string;
    facility: string;
    memberNumber: string;
    status: string;
    startsAt: string;
    endsAt: string;
  }[];
  events: {
    id: string;
    club: string;
    title: string;
    status: string;
    startsAt: string;
    seatsTaken: number;
    rsvps: { memberNumber: string; response: string; status: string }[];
  }[];
  /** What this run added; all zero when the demo's club operations existed already. */
  created: { facilities: number; bookings: number; events: number; rsvps: number };
}

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 100;

export async function seedClubOperations(
  options: ClubOperationsSeedOptions,
): Promise<DemoClubOperationsResult> {
  const { clients, clock, log } = options;
  const created = { facilities: 0, bookings: 0, events: 0, rsvps: 0 };
  const club = (slug: string) => options.clubs.get(slug)!;
  const member = (number: string) => {
    const found = options.members.get(number);
    if (!found)
      throw new Error(`demo member ${number} cannot act: not signed in with the MEMBER grant in force`);
    return found;
  };

  /** Every facility of the club by name, as its administrator lists them. */
  async function facilitiesOf(slug: string): Promise<Map<string, Facility>> {
    const actors = club(slug);
    const byName = new Map<string, Facility>();
    for (let page = 1; ; page += 1) {
      const response = await clients.facilities.listFacilities({
        caller: actors.admin,
        clubId: actors.clubId,
        page,
        pageSize: PAGE,
      });
      for (const facility of response.facilities) byName.set(facility.name, facility);
      if (page * PAGE >= response.total) return byName;
    }
  }

  async function ensureFacility(demo: DemoFacility, existing: Map<string, Facility>): Promise<Facility> {
    const found = existing.get(demo.name);
    if (found) return found;
    const actors = club(demo.club);
    const { facility } = await clients.facilities.createFacility({
      caller: actors.admin,
      clubId: actors.clubId,
      settings: {
        name: demo.name,
        description: demo.description,
        facilityType: demo.type,
        capacity: demo.capacity,
        openingHours: {
          hours: DAYS.map((day, index) => ({
            day,
            ...(index < 5 ? demo.hours.weekdays : demo.hours.weekend),
          })),
        },
        slotMinutes: demo.slotMinutes,
        minBookingMinutes: demo.minBookingMinutes,
        maxBookingMinutes: demo.maxBookingMinutes,
        bufferMinutes: demo.bufferMinutes,
        advanceBookingDays: demo.advanceBookingDays,
        cancellationDeadlineHours: demo.cancellationDeadlineHours,
        cancellationFee: BigInt(demo.cancellationFee),
        allowedMembershipTypes: { values: demo.allowedMembershipTypes },
        allowsReciprocalVisitors: demo.allowsReciprocalVisitors,
        ...(demo.maxOpenBookingsPerMember === null
          ? {}
          : { maxOpenBookingsPerMember: demo.maxOpenBookingsPerMember }),
        ...(demo.maxBookingsPerWeek === null ? {} : { maxBookingsPerWeek: demo.maxBookingsPerWeek }),
        amenities: { values: demo.amenities },
        location: demo.location,
      },
    });
    created.facilities += 1;
    existing.set(demo.name, facility!);
    return facility!;
  }

  /** Every booking at the club, as its front desk lists them (every status, every date). */
  async function bookingsAt(slug: string): Promise<Booking[]> {
    const actors = club(slug);
    const all: Booking[] = [];
    for (let page = 1; ; page += 1) {
      const response = await clients.bookings.listBookings({
        caller: actors.desk,
        clubId: actors.clubId,
        page,
        pageSize: PAGE,
      });
      all.push(...response.bookings);
      if (page * PAGE >= response.total) return all;
    }
  }

  async function ensureBooking(demo: DemoBooking, facility: Facility, existing: Booking[]): Promise<Booking> {
    const actors = club(demo.club);
    const booker = member(demo.memberNumber);
    let booking = existing.find(
      (b) => b.memberId === booker.memberId && b.facilityId === facility.id && b.purpose === demo.purpose,
    );
    if (!booking) {
      const startsAt = localInstant(dayAfter(demo.club, demo.inDays), demo.at, timezoneOf(demo.club));
      ({ booking } = await clients.bookings.createBooking({
        caller: booker.caller,
        clubId: actors.clubId,
        facilityId: facility.id,
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(new Date(startsAt.getTime() + demo.minutes * 60_000)),
        guestCount: demo.guestCount,
        purpose: demo.purpose,
      }));
      created.bookings += 1;
    }
    if (demo.cancelledBecause && booking!.status === 'CONFIRMED') {
      ({ booking } = await clients.bookings.changeBookingStatus({
        caller: booker.caller,
        bookingId: booking!.id,
        to: 'CANCELLED',
        reason: demo.cancelledBecause,
      }));
    }
    return booking!;
  }

  async function ensureEvent(demo: DemoEvent): Promise<Event> {
    const actors = club(demo.club);
    const { events } = await clients.clubEvents.listEvents({
      caller: actors.admin,
      clubId: actors.clubId,
      pageSize: PAGE,
    });
    const found = events.find((e) => e.title === demo.title && e.status !== 'CANCELLED');
    if (found) return found;
    const startsAt = localInstant(dayAfter(demo.club, demo.inDays), demo.at, timezoneOf(demo.club));
    const { event } = await clients.clubEvents.createEvent({
      caller: actors.admin,
      clubId: actors.clubId,
      fields: {
        title: demo.title,
        description: demo.description,
        eventType: demo.type,
        startsAt: timestampFromDate(startsAt),
        endsAt: timestampFromDate(new Date(startsAt.getTime() + demo.minutes * 60_000)),
        // RSVPs close the day before.
        rsvpDeadline: timestampFromDate(new Date(startsAt.getTime() - DAY_MS)),
        location: demo.location,
        capacity: demo.capacity,
        guestPolicy: demo.guestPolicy,
        maxGuestsPerMember: demo.maxGuestsPerMember,
        allowsReciprocalVisitors: false,
        price: BigInt(demo.price),
        currency: demo.currency,
        organizerName: demo.organizer,
        contactEmail: `events@${demo.club}.demo.clubland.test`,
      },
    });
    created.events += 1;
    log.info({ club: demo.club, title: demo.title }, 'demo event created');
    return event!;
  }

  async function ensureRsvp(event: Event, rsvp: DemoEvent['rsvps'][number]) {
    const attendee = member(rsvp.memberNumber);
    const { rsvps } = await clients.clubEvents.listMyRsvps({ caller: attendee.caller, pageSize: PAGE });
    const found = rsvps.find((r) => r.eventId === event.id && r.status !== 'CANCELLED');
    if (found) return found;
    const { rsvp: made } = await clients.clubEvents.createRsvp({
      caller: attendee.caller,
      clubId: event.clubId,
      eventId: event.id,
      response: rsvp.response,
      guestCount: rsvp.guests.length,
      guestNames: rsvp.guests,
    });
    created.rsvps += 1;
    return made!;
  }

  const facilities: DemoClubOperationsResult['facilities'] = [];
  const byClub = new Map<string, Map<string, Facility>>();
  for (const demo of DEMO_FACILITIES) {
    if (!byClub.has(demo.club)) byClub.set(demo.club, await facilitiesOf(demo.club));
    const facility = await ensureFacility(demo, byClub.get(demo.club)!);
    const { id, name, facilityType: type, capacity } = facility;
    facilities.push({ id, club: demo.club, name, type, capacity });
  }

  const bookings: DemoClubOperationsResult['bookings'] = [];
  const existingAt = new Map<string, Booking[]>();
  for (const demo of DEMO_BOOKINGS) {
    if (!existingAt.has(demo.club)) existingAt.set(demo.club, await bookingsAt(demo.club));
    const facility = byClub.get(demo.club)!.get(demo.facility)!;
    const booking = await ensureBooking(demo, facility, existingAt.get(demo.club)!);
    bookings.push({
      id: booking.id,
      club: demo.club,
      facility: demo.facility,
      memberNumber: demo.memberNumber,
      status: booking.status,
      startsAt: isoOf(booking.startsAt),
      endsAt: isoOf(booking.endsAt),
    });
  }

  const events: DemoClubOperationsResult['events'] = [];
  for (const demo of DEMO_EVENTS) {
    const event = await ensureEvent(demo);
    const rsvps = [];
    for (const rsvp of demo.rsvps) {
      const made = await ensureRsvp(event, rsvp);
      rsvps.push({ memberNumber: rsvp.memberNumber, response: made.response, status: made.status });
    }
    // Read again: the seats the RSVPs took.
    const { event: now } = await clients.clubEvents.getEvent({
      caller: club(demo.club).admin,
      clubId: event.clubId,
      id: event.id,
    });
    events.push({
      id: now!.id,
      club: demo.club,
      title: now!.title,
      status: now!.status,
      startsAt: isoOf(now!.startsAt),
      seatsTaken: now!.seatsTaken,
      rsvps,
    });
  }
  log.info(created, 'demo club operations ready');
  return { facilities, bookings, events, created };

  /** The local day at the club this many days after the seed's. */
  function dayAfter(slug: string, days: number): string {
    const today = dayAt(timezoneOf(slug), clock());
    return new Date(Date.parse(`${today}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  }
}

function isoOf(stamp: Parameters<typeof timestampDate>[0] | undefined): string {
  return stamp ? timestampDate(stamp).toISOString() : '';
}

function timezoneOf(slug: string): string {
  return DEMO_CLUBS.find((club) => club.slug === slug)!.timezone;
}

/** The calendar day at an instant in a time zone (en-CA writes it YYYY-MM-DD). */
function dayAt(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * The instant a wall clock in the time zone shows `time` (HH:MM) on `day` (YYYY-MM-DD): the zone's
 * offset read at a first guess, then again at the corrected instant, so a day on which the clocks
 * change is right too (demo times are never in the hour that does not exist).
 */
export function localInstant(day: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${day}T${time}:00Z`);
  const offsetAt = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(at)
        .map((part) => [part.type, part.value]),
    );
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    return wall - Math.floor(at / 60_000) * 60_000;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}
