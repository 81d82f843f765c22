import {
  FACILITY_TYPES,
  type FacilityStatus,
  type FacilityType,
  type OpeningHours,
  WEEKDAYS,
  type Weekday,
} from './facility.ts';
import { minutesOf } from './facility-schedule.ts';

/** Everything an administrator sets on a facility. */
export interface FacilitySettings {
  name: string;
  description: string | null;
  facilityType: FacilityType;
  status: FacilityStatus;
  capacity: number;
  openingHours: OpeningHours[];
  slotMinutes: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
  bufferMinutes: number;
  advanceBookingDays: number;
  cancellationDeadlineHours: number;
  /** Minor units of the club's currency. */
  cancellationFee: number;
  allowedMembershipTypes: string[];
  allowsReciprocalVisitors: boolean;
  maxOpenBookingsPerMember: number | null;
  maxBookingsPerWeek: number | null;
  amenities: string[];
  location: string | null;
  images: string[];
  requiresApproval: boolean;
}

/** A change: absent fields are kept (or take their default on create). */
export type FacilityPatch = { [K in keyof FacilitySettings]?: FacilitySettings[K] | undefined };

/** The longest buffer a facility may keep free after each booking. */
export const MAX_BUFFER_MINUTES = 240;

/** What a new facility has unless told otherwise: every day 07:00-22:00, hourly bookings. */
export const DEFAULT_SETTINGS: Omit<FacilitySettings, 'name' | 'facilityType'> = {
  description: null,
  status: 'ACTIVE',
  capacity: 1,
  openingHours: WEEKDAYS.map((day) => ({ day, opens: '07:00', closes: '22:00' })),
  slotMinutes: 30,
  minBookingMinutes: 30,
  maxBookingMinutes: 120,
  bufferMinutes: 0,
  advanceBookingDays: 14,
  cancellationDeadlineHours: 24,
  cancellationFee: 0,
  allowedMembershipTypes: [],
  allowsReciprocalVisitors: false,
  maxOpenBookingsPerMember: null,
  maxBookingsPerWeek: null,
  amenities: [],
  location: null,
  images: [],
  requiresApproval: false,
};

export type SettingsCheck =
  | { ok: true; settings: FacilitySettings }
  | { ok: false; field: string; message: string };

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const STATUSES: readonly FacilityStatus[] = ['ACTIVE', 'INACTIVE', 'MAINTENANCE'];

/**
 * `patch` applied to `current` (a new facility: the defaults), and the result checked whole: a
 * change to the slot length can make the booking lengths wrong, so every rule is checked every
 * time. The first field at fault is named. Pure.
 */
export function applySettings(current: FacilitySettings | null, patch: FacilityPatch): SettingsCheck {
  const base: Partial<FacilitySettings> = current ?? DEFAULT_SETTINGS;
  const merged: Partial<FacilitySettings> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  const fault = firstFault(merged);
  if (fault) return { ok: false, ...fault };
  const settings = merged as FacilitySettings;
  return {
    ok: true,
    settings: {
      ...settings,
      name: settings.name.trim(),
      openingHours: sortedHours(settings.openingHours),
      allowedMembershipTypes: [...new Set(settings.allowedMembershipTypes)],
      amenities: [...new Set(settings.amenities.map((amenity) => amenity.trim()))],
    },
  };
}

type Fault = { field: string; message: string };

function firstFault(s: Partial<FacilitySettings>): Fault | null {
  const isInt = (value: unknown, min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  const checks: [boolean, string, string][] = [
    [
      typeof s.name === 'string' && s.name.trim().length >= 1 && s.name.trim().length <= 200,
      'name',
      'a name of 1 to 200 characters',
    ],
    [
      s.description === null || (typeof s.description === 'string' && s.description.length <= 2000),
      'description',
      'at most 2000 characters',
    ],
    [
      (FACILITY_TYPES as readonly string[]).includes(s.facilityType as string),
      'type',
      `one of ${FACILITY_TYPES.join(', ')}`,
    ],
    [STATUSES.includes(s.status as FacilityStatus), 'status', 'ACTIVE, INACTIVE or MAINTENANCE'],
    [isInt(s.capacity, 1, 1000), 'capacity', 'a whole number from 1 to 1000'],
    [
      isInt(s.slotMinutes, 5, 1440) && 1440 % (s.slotMinutes as number) === 0,
      'slotDuration',
      'minutes from 5 to 1440 that divide a day',
    ],
    [
      isInt(s.minBookingMinutes, 5, 1440) &&
        (s.minBookingMinutes as number) % (s.slotMinutes as number) === 0,
      'minBookingDuration',
      'a whole number of slots, at least 5 minutes',
    ],
    [
      isInt(s.maxBookingMinutes, s.minBookingMinutes as number, 1440) &&
        (s.maxBookingMinutes as number) % (s.slotMinutes as number) === 0,
      'maxBookingDuration',
      'a whole number of slots, no shorter than the minimum, at most a day',
    ],
    [
      isInt(s.bufferMinutes, 0, MAX_BUFFER_MINUTES),
      'bufferMinutes',
      `minutes from 0 to ${MAX_BUFFER_MINUTES}`,
    ],
    [isInt(s.advanceBookingDays, 0, 365), 'advanceBookingDays', 'days from 0 to 365'],
    [isInt(s.cancellationDeadlineHours, 0, 720), 'cancellationDeadline', 'hours from 0 to 720'],
    [isInt(s.cancellationFee, 0, 1_000_000_000), 'cancellationFee', 'whole minor units, 0 or more'],
    [
      isLabels(s.allowedMembershipTypes, 50),
      'allowedMembershipTypes',
      'up to 50 names of 1 to 100 characters',
    ],
    [typeof s.allowsReciprocalVisitors === 'boolean', 'allowsReciprocalVisitors', 'true or false'],
    [
      s.maxOpenBookingsPerMember === null || isInt(s.maxOpenBookingsPerMember, 1, 1000),
      'maxOpenBookingsPerMember',
      'none, or 1 to 1000',
    ],
    [
      s.maxBookingsPerWeek === null || isInt(s.maxBookingsPerWeek, 1, 1000),
      'maxBookingsPerWeek',
      'none, or 1 to 1000',
    ],
    [isLabels(s.amenities, 50), 'amenities', 'up to 50 labels of 1 to 100 characters'],
    [
      s.location === null || (typeof s.location === 'string' && s.location.length <= 200),
      'location',
      'at most 200 characters',
    ],
    [
      Array.isArray(s.images) && s.images.length <= 20 && s.images.every(isImageUrl),
      'images',
      'up to 20 http(s) URLs',
    ],
    [typeof s.requiresApproval === 'boolean', 'requiresApproval', 'true or false'],
  ];
  for (const [ok, field, expected] of checks)
    if (!ok) return { field, message: `${field}: expected ${expected}` };
  return hoursFault(s.openingHours);
}

function isLabels(values: unknown, max: number): boolean {
  return (
    Array.isArray(values) &&
    values.length <= max &&
    values.every((value) => typeof value === 'string' && value.trim().length >= 1 && value.length <= 100)
  );
}

function isImageUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Each interval a known weekday, HH:MM, closing after it opens; one day's intervals apart. */
function hoursFault(hours: unknown): Fault | null {
  const fault = (message: string): Fault => ({
    field: 'operatingHours',
    message: `operatingHours: ${message}`,
  });
  if (!Array.isArray(hours) || hours.length > 7 * 4) return fault('up to four intervals per weekday');
  const byDay = new Map<Weekday, [number, number][]>();
  for (const entry of hours as OpeningHours[]) {
    if (!(WEEKDAYS as readonly string[]).includes(entry?.day))
      return fault(`unknown weekday ${String(entry?.day)}`);
    if (!HHMM.test(entry.opens) || !HHMM.test(entry.closes) || entry.opens === '24:00')
      return fault(`${entry.day}: times as HH:MM (00:00 to 24:00)`);
    const [opens, closes] = [minutesOf(entry.opens), minutesOf(entry.closes)];
    if (closes <= opens) return fault(`${entry.day}: closes after it opens, on the same day`);
    const intervals = byDay.get(entry.day) ?? [];
    if (intervals.some(([from, to]) => opens < to && from < closes))
      return fault(`${entry.day}: intervals overlap`);
    intervals.push([opens, closes]);
    byDay.set(entry.day, intervals);
  }
  return null;
}

function sortedHours(hours: OpeningHours[]): OpeningHours[] {
  return hours
    .map(({ day, opens, closes }) => ({ day, opens, closes }))
    .sort(
      (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || minutesOf(a.opens) - minutesOf(b.opens),
    );
}
