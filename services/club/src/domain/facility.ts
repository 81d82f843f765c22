/** The contract's FacilityStatus. */
export type FacilityStatus = 'ACTIVE' | 'INACTIVE' | 'MAINTENANCE';

export const WEEKDAYS = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours of one weekday, in the club's time zone; `closes` after `opens` (no overnight hours). */
export interface OpeningHours {
  day: Weekday;
  /** HH:MM */
  opens: string;
  /** HH:MM; '24:00' for midnight at the end of the day. */
  closes: string;
}

/** What a booking is checked against: the facility's schedule and rules. */
export interface FacilitySchedule {
  status: FacilityStatus;
  capacity: number;
  openingHours: OpeningHours[];
  slotMinutes: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
  bufferMinutes: number;
  advanceBookingDays: number;
}

/** A closure or maintenance window, of the facility or of the whole club. */
export interface Closure {
  kind: 'CLOSURE' | 'MAINTENANCE';
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

/** The contract's FacilityType. */
export const FACILITY_TYPES = [
  'CONFERENCE_ROOM',
  'BANQUET_HALL',
  'TENNIS_COURT',
  'GOLF_COURSE',
  'POOL',
  'GYM',
  'SPA',
  'LIBRARY',
  'LOUNGE',
  'OTHER',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];
