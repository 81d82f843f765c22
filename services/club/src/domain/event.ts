/** The contract's ClubEventType. */
export const EVENT_TYPES = [
  'SOCIAL',
  'NETWORKING',
  'EDUCATIONAL',
  'SPORTING',
  'CULTURAL',
  'FUNDRAISING',
  'MEETING',
  'OTHER',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The contract's EventStatus. */
export const EVENT_STATUSES = [
  'DRAFT',
  'PUBLISHED',
  'REGISTRATION_OPEN',
  'REGISTRATION_CLOSED',
  'IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Statuses in which an event takes RSVPs (before its deadline). */
export const OPEN_STATUSES: readonly EventStatus[] = ['PUBLISHED', 'REGISTRATION_OPEN'];

/** The contract's GuestPolicy. */
export const GUEST_POLICIES = [
  'NO_GUESTS',
  'MEMBERS_ONLY',
  'MALE_GUESTS_ONLY',
  'FEMALE_GUESTS_ONLY',
  'FRIENDS_AND_FAMILY',
] as const;
export type GuestPolicy = (typeof GUEST_POLICIES)[number];

/** The contract's RSVPStatus, RSVPResponse and RSVPType. */
export const RSVP_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'WAITLISTED',
  'ATTENDED',
  'NO_SHOW',
  'CANCELLED',
] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];
export const RSVP_RESPONSES = ['YES', 'MAYBE', 'NO'] as const;
export type RsvpResponse = (typeof RSVP_RESPONSES)[number];
export type RsvpType = 'PRIMARY' | 'RECIPROCAL' | 'SUBGROUP';

/** "Ada L.": what fellow members are shown of a member going to an event. */
export function displayNameOf(firstName: string, lastName: string): string {
  const first = firstName.trim() || 'A member';
  const initial = lastName.trim().charAt(0).toUpperCase();
  return initial ? `${first} ${initial}.` : first;
}
