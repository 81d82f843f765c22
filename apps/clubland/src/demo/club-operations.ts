/**
 * The club-operations side of the demo network, as data: each club's facilities (their hours in the
 * club's own time zone), a week of bookings by the clubs' members in good standing, and two
 * upcoming events per club with their RSVPs. Clubs and members are named by slug and member
 * number, facilities by name; days count from the day the demo is seeded, in the club's time zone,
 * so the network looks the same whenever it is.
 */

/** Opening hours Monday to Friday, then the weekend, in the club's time zone (HH:MM). */
interface WeekHours {
  weekdays: { opens: string; closes: string };
  weekend: { opens: string; closes: string };
}

/** Amounts in minor units (pence, cents) of the club's currency. */
export interface DemoFacility {
  club: string;
  name: string;
  /** The contract's FacilityType. */
  type: string;
  description: string;
  /** Units booked separately (courts, lanes, desks, treatment rooms). */
  capacity: number;
  hours: WeekHours;
  slotMinutes: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
  bufferMinutes: number;
  advanceBookingDays: number;
  cancellationDeadlineHours: number;
  cancellationFee: number;
  /** Empty: every membership type. */
  allowedMembershipTypes: string[];
  allowsReciprocalVisitors: boolean;
  maxOpenBookingsPerMember: number | null;
  maxBookingsPerWeek: number | null;
  amenities: string[];
  location: string;
}

/** A booking made by the member themselves; `purpose` is how a later run recognises it. */
export interface DemoBooking {
  club: string;
  facility: string;
  memberNumber: string;
  /** Days after the seed's day at the club (1: tomorrow), at this local time, for this long. */
  inDays: number;
  at: string;
  minutes: number;
  guestCount: number;
  purpose: string;
  /** The member cancels it again, with this reason (so the week shows a cancellation). */
  cancelledBecause?: string;
}

/** An event created by the club's administrator; its title is how a later run recognises it. */
export interface DemoEvent {
  club: string;
  title: string;
  description: string;
  /** The contract's ClubEventType. */
  type: string;
  /** Days after the seed's day at the club, from this local time, for this many minutes. */
  inDays: number;
  at: string;
  minutes: number;
  location: string;
  capacity: number;
  /** The contract's GuestPolicy, and how many guests a member may bring. */
  guestPolicy: string;
  maxGuestsPerMember: number;
  /** Per person, minor units of the club's currency. */
  price: number;
  currency: string;
  organizer: string;
  rsvps: { memberNumber: string; response: 'YES' | 'MAYBE'; guests: string[] }[];
}

const EVERY_TYPE: string[] = [];
const DINING_TYPES = ['REGULAR', 'PREMIUM', 'VIP', 'CORPORATE', 'FAMILY', 'HONORARY', 'SENIOR'];

export const DEMO_FACILITIES: readonly DemoFacility[] = [
  {
    club: 'pall-mall-club',
    name: 'The Tennis Court',
    type: 'TENNIS_COURT',
    description: 'A real tennis court of 1838 under the north wing; the professional strings racquets.',
    capacity: 1,
    hours: { weekdays: { opens: '07:00', closes: '21:00' }, weekend: { opens: '08:00', closes: '20:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 6,
    cancellationFee: 1500,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 4,
    maxBookingsPerWeek: 5,
    amenities: ['racquet hire', 'changing rooms', 'marker'],
    location: 'North wing, lower ground floor',
  },
  {
    club: 'pall-mall-club',
    name: 'The Library',
    type: 'LIBRARY',
    description: 'Eight reading desks among 40,000 volumes; silence after the first bell.',
    capacity: 8,
    hours: { weekdays: { opens: '08:00', closes: '22:00' }, weekend: { opens: '09:00', closes: '21:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 240,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 0,
    cancellationFee: 0,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: null,
    maxBookingsPerWeek: null,
    amenities: ['reading lamps', 'wifi', 'archive requests'],
    location: 'First floor',
  },
  {
    club: 'pall-mall-club',
    name: 'The Morning Room',
    type: 'BANQUET_HALL',
    description: 'Private dining for up to twelve, served from the club kitchen.',
    capacity: 1,
    hours: { weekdays: { opens: '12:00', closes: '23:00' }, weekend: { opens: '12:00', closes: '22:00' } },
    slotMinutes: 30,
    minBookingMinutes: 90,
    maxBookingMinutes: 210,
    bufferMinutes: 30,
    advanceBookingDays: 60,
    cancellationDeadlineHours: 48,
    cancellationFee: 5000,
    allowedMembershipTypes: DINING_TYPES,
    allowsReciprocalVisitors: false,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: null,
    amenities: ['private dining', 'sommelier', 'jacket and tie'],
    location: 'Ground floor, garden side',
  },
  {
    club: 'pall-mall-club',
    name: 'The Turkish Bath',
    type: 'SPA',
    description: 'Hot rooms, a plunge pool and four treatment rooms.',
    capacity: 4,
    hours: { weekdays: { opens: '07:00', closes: '21:00' }, weekend: { opens: '08:00', closes: '20:00' } },
    slotMinutes: 30,
    minBookingMinutes: 60,
    maxBookingMinutes: 90,
    bufferMinutes: 15,
    advanceBookingDays: 21,
    cancellationDeadlineHours: 12,
    cancellationFee: 2000,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: false,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: 3,
    amenities: ['steam room', 'plunge pool', 'massage'],
    location: 'Basement',
  },
  {
    club: 'knickerbocker-union',
    name: 'Squash Courts',
    type: 'OTHER',
    description: 'Two glass-backed squash courts; balls and goggles at the desk.',
    capacity: 2,
    hours: { weekdays: { opens: '06:00', closes: '22:00' }, weekend: { opens: '08:00', closes: '20:00' } },
    slotMinutes: 15,
    minBookingMinutes: 45,
    maxBookingMinutes: 90,
    bufferMinutes: 0,
    advanceBookingDays: 7,
    cancellationDeadlineHours: 4,
    cancellationFee: 1500,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 3,
    maxBookingsPerWeek: 4,
    amenities: ['ball machine', 'changing rooms'],
    location: '4th floor',
  },
  {
    club: 'knickerbocker-union',
    name: 'The Rooftop Court',
    type: 'TENNIS_COURT',
    description: 'A hard court above 37th Street, floodlit until ten.',
    capacity: 1,
    hours: { weekdays: { opens: '07:00', closes: '22:00' }, weekend: { opens: '08:00', closes: '21:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 12,
    cancellationFee: 2500,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: 3,
    amenities: ['floodlights', 'racquet hire'],
    location: 'Roof',
  },
  {
    club: 'knickerbocker-union',
    name: 'The Grill Room',
    type: 'BANQUET_HALL',
    description: 'A panelled private dining room for up to twenty.',
    capacity: 1,
    hours: { weekdays: { opens: '11:30', closes: '23:30' }, weekend: { opens: '11:00', closes: '23:00' } },
    slotMinutes: 30,
    minBookingMinutes: 90,
    maxBookingMinutes: 240,
    bufferMinutes: 30,
    advanceBookingDays: 60,
    cancellationDeadlineHours: 48,
    cancellationFee: 10000,
    allowedMembershipTypes: DINING_TYPES,
    allowsReciprocalVisitors: false,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: null,
    amenities: ['private dining', 'audio-visual'],
    location: '2nd floor',
  },
  {
    club: 'cercle-etoile',
    name: 'La Bibliothèque',
    type: 'LIBRARY',
    description: 'Six tables under the painted ceiling; the cercle’s archives on request.',
    capacity: 6,
    hours: { weekdays: { opens: '09:00', closes: '22:00' }, weekend: { opens: '10:00', closes: '20:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 240,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 0,
    cancellationFee: 0,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: null,
    maxBookingsPerWeek: null,
    amenities: ['archives', 'wifi'],
    location: 'Premier étage',
  },
  {
    club: 'cercle-etoile',
    name: 'Le Salon Vert',
    type: 'BANQUET_HALL',
    description: 'Private dining for up to ten, opening onto the garden terrace.',
    capacity: 1,
    hours: { weekdays: { opens: '12:00', closes: '23:00' }, weekend: { opens: '12:00', closes: '23:30' } },
    slotMinutes: 30,
    minBookingMinutes: 90,
    maxBookingMinutes: 210,
    bufferMinutes: 30,
    advanceBookingDays: 60,
    cancellationDeadlineHours: 48,
    cancellationFee: 6000,
    allowedMembershipTypes: DINING_TYPES,
    allowsReciprocalVisitors: false,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: null,
    amenities: ['private dining', 'terrace', 'wine cellar'],
    location: 'Rez-de-jardin',
  },
  {
    club: 'cercle-etoile',
    name: 'Le Court du Jardin',
    type: 'TENNIS_COURT',
    description: 'A clay court behind the garden, watered at noon.',
    capacity: 1,
    hours: { weekdays: { opens: '08:00', closes: '20:00' }, weekend: { opens: '09:00', closes: '19:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 12,
    cancellationFee: 2000,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: 3,
    amenities: ['clay', 'racquet hire'],
    location: 'Jardin',
  },
  {
    club: 'harbourside-club',
    name: 'Saltwater Pool',
    type: 'POOL',
    description: 'Six 25-metre lanes of harbour water, heated in winter.',
    capacity: 6,
    hours: { weekdays: { opens: '06:00', closes: '21:00' }, weekend: { opens: '07:00', closes: '20:00' } },
    slotMinutes: 30,
    minBookingMinutes: 30,
    maxBookingMinutes: 60,
    bufferMinutes: 0,
    advanceBookingDays: 7,
    cancellationDeadlineHours: 2,
    cancellationFee: 0,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 3,
    maxBookingsPerWeek: 7,
    amenities: ['lane ropes', 'towels', 'lifeguard'],
    location: 'The deck',
  },
  {
    club: 'harbourside-club',
    name: 'Harbour Courts',
    type: 'TENNIS_COURT',
    description: 'Two grass courts looking over the water.',
    capacity: 2,
    hours: { weekdays: { opens: '06:00', closes: '20:00' }, weekend: { opens: '07:00', closes: '19:00' } },
    slotMinutes: 60,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    bufferMinutes: 0,
    advanceBookingDays: 14,
    cancellationDeadlineHours: 12,
    cancellationFee: 2000,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: true,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: 3,
    amenities: ['grass', 'racquet hire'],
    location: 'North lawn',
  },
  {
    club: 'harbourside-club',
    name: 'The Deck Spa',
    type: 'SPA',
    description: 'Three treatment rooms and a sauna above the boat shed.',
    capacity: 3,
    hours: { weekdays: { opens: '08:00', closes: '20:00' }, weekend: { opens: '08:00', closes: '18:00' } },
    slotMinutes: 30,
    minBookingMinutes: 60,
    maxBookingMinutes: 120,
    bufferMinutes: 15,
    advanceBookingDays: 21,
    cancellationDeadlineHours: 24,
    cancellationFee: 3000,
    allowedMembershipTypes: EVERY_TYPE,
    allowsReciprocalVisitors: false,
    maxOpenBookingsPerMember: 2,
    maxBookingsPerWeek: 2,
    amenities: ['sauna', 'massage'],
    location: 'Above the boat shed',
  },
];

/**
 * The coming week's bookings (at times every facility keeps on weekdays and at the weekend), by the members who may book (those in good standing): Ada at the
 * Pall Mall Club, Grace and Emily at the Knickerbocker, Marie at the Cercle, Howard at the
 * Harbourside. None takes the Pall Mall tennis court tomorrow: the first ten minutes books it.
 */
export const DEMO_BOOKINGS: readonly DemoBooking[] = [
  booking('pall-mall-club', 'The Library', 'PMC-0001', 1, '10:00', 120, 0, 'Reading for the Notes'),
  booking('pall-mall-club', 'The Tennis Court', 'PMC-0001', 2, '18:00', 60, 1, 'A set with Charles'),
  booking('pall-mall-club', 'The Turkish Bath', 'PMC-0001', 3, '08:00', 60, 0, 'Steam before the lecture'),
  booking('pall-mall-club', 'The Morning Room', 'PMC-0001', 5, '19:30', 150, 7, 'Dinner for the Society'),
  {
    ...booking('pall-mall-club', 'The Tennis Court', 'PMC-0001', 6, '09:00', 60, 1, 'Doubles practice'),
    cancelledBecause: 'Partner away',
  },
  booking('knickerbocker-union', 'Squash Courts', 'KNU-0001', 1, '08:00', 45, 1, 'Morning squash'),
  booking('knickerbocker-union', 'Squash Courts', 'KNU-0003', 1, '08:00', 45, 1, 'Squash with the kids'),
  booking('knickerbocker-union', 'The Rooftop Court', 'KNU-0003', 2, '17:00', 60, 1, 'Family tennis'),
  booking('knickerbocker-union', 'The Grill Room', 'KNU-0003', 4, '19:00', 180, 5, 'Birthday dinner'),
  {
    ...booking('knickerbocker-union', 'The Rooftop Court', 'KNU-0001', 5, '12:00', 60, 0, 'Lunchtime hit'),
    cancelledBecause: 'Rain forecast',
  },
  booking('cercle-etoile', 'La Bibliothèque', 'CDE-0001', 1, '15:00', 180, 0, 'Lecture notes'),
  booking('cercle-etoile', 'Le Court du Jardin', 'CDE-0001', 3, '09:00', 60, 1, 'Tennis avant le labo'),
  booking('cercle-etoile', 'Le Salon Vert', 'CDE-0001', 4, '20:00', 150, 4, 'Dîner de l’Académie'),
  booking('harbourside-club', 'Saltwater Pool', 'HSC-0001', 1, '07:00', 30, 0, 'Laps before the lab'),
  booking('harbourside-club', 'Harbour Courts', 'HSC-0001', 2, '17:00', 60, 1, 'Tennis after work'),
  booking('harbourside-club', 'The Deck Spa', 'HSC-0001', 4, '10:00', 60, 0, 'Massage'),
  booking('harbourside-club', 'Saltwater Pool', 'HSC-0001', 6, '07:30', 60, 0, 'Long swim'),
];

function booking(
  club: string,
  facility: string,
  memberNumber: string,
  inDays: number,
  at: string,
  minutes: number,
  guestCount: number,
  purpose: string,
): DemoBooking {
  return { club, facility, memberNumber, inDays, at, minutes, guestCount, purpose: `${purpose} (demo)` };
}

export const DEMO_EVENTS: readonly DemoEvent[] = [
  {
    club: 'pall-mall-club',
    title: 'The Analytical Engine at 180',
    description: 'A lecture in the Library on Babbage’s engine and the first published program.',
    type: 'EDUCATIONAL',
    inDays: 5,
    at: '18:30',
    minutes: 120,
    location: 'The Library',
    capacity: 40,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 1,
    price: 0,
    currency: 'GBP',
    organizer: 'The Library Committee',
    rsvps: [{ memberNumber: 'PMC-0001', response: 'YES', guests: ['Mary Shelley'] }],
  },
  {
    club: 'pall-mall-club',
    title: 'The Members’ Dinner',
    description: 'Four courses in the Coffee Room; black tie.',
    type: 'SOCIAL',
    inDays: 12,
    at: '19:30',
    minutes: 210,
    location: 'The Coffee Room',
    capacity: 80,
    guestPolicy: 'MEMBERS_ONLY',
    maxGuestsPerMember: 0,
    price: 6500,
    currency: 'GBP',
    organizer: 'The House Committee',
    rsvps: [{ memberNumber: 'PMC-0001', response: 'MAYBE', guests: [] }],
  },
  {
    club: 'knickerbocker-union',
    title: 'Rooftop Jazz Evening',
    description: 'A trio on the roof terrace from seven; cocktails at the bar.',
    type: 'CULTURAL',
    inDays: 4,
    at: '19:00',
    minutes: 180,
    location: 'The roof terrace',
    capacity: 60,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 2,
    price: 3500,
    currency: 'USD',
    organizer: 'The Entertainments Committee',
    rsvps: [
      { memberNumber: 'KNU-0001', response: 'YES', guests: ['Howard Aiken'] },
      { memberNumber: 'KNU-0003', response: 'YES', guests: ['Washington Roebling', 'John A. Roebling'] },
    ],
  },
  {
    club: 'knickerbocker-union',
    title: 'Squash Ladder Finals',
    description: 'The spring ladder’s last rounds; spectators welcome in the gallery.',
    type: 'SPORTING',
    inDays: 9,
    at: '10:00',
    minutes: 240,
    location: 'Squash Courts',
    capacity: 30,
    guestPolicy: 'NO_GUESTS',
    maxGuestsPerMember: 0,
    price: 0,
    currency: 'USD',
    organizer: 'The Squash Captain',
    rsvps: [{ memberNumber: 'KNU-0001', response: 'YES', guests: [] }],
  },
  {
    club: 'cercle-etoile',
    title: 'Dégustation : Bordeaux 2015',
    description: 'Six wines of the vintage, with the cercle’s sommelier, in the cellar.',
    type: 'SOCIAL',
    inDays: 6,
    at: '19:00',
    minutes: 150,
    location: 'La cave',
    capacity: 24,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 1,
    price: 4500,
    currency: 'EUR',
    organizer: 'La commission des vins',
    rsvps: [{ memberNumber: 'CDE-0001', response: 'YES', guests: ['Pierre Curie'] }],
  },
  {
    club: 'cercle-etoile',
    title: 'Conférence : le radium, cent ans après',
    description: 'An evening lecture in the Bibliothèque, followed by a glass on the terrace.',
    type: 'EDUCATIONAL',
    inDays: 10,
    at: '18:00',
    minutes: 90,
    location: 'La Bibliothèque',
    capacity: 50,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 2,
    price: 0,
    currency: 'EUR',
    organizer: 'La commission culturelle',
    rsvps: [{ memberNumber: 'CDE-0001', response: 'MAYBE', guests: [] }],
  },
  {
    club: 'harbourside-club',
    title: 'Twilight Sailing Race',
    description: 'Round the harbour markers at dusk; crews drawn at the bar.',
    type: 'SPORTING',
    inDays: 3,
    at: '17:30',
    minutes: 150,
    location: 'The pontoon',
    capacity: 30,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 1,
    price: 0,
    currency: 'AUD',
    organizer: 'The Sailing Secretary',
    rsvps: [{ memberNumber: 'HSC-0001', response: 'YES', guests: [] }],
  },
  {
    club: 'harbourside-club',
    title: 'Harbour Long Lunch',
    description: 'Five courses on the deck, from noon until the ferries light up.',
    type: 'SOCIAL',
    inDays: 8,
    at: '12:30',
    minutes: 210,
    location: 'The deck',
    capacity: 100,
    guestPolicy: 'FRIENDS_AND_FAMILY',
    maxGuestsPerMember: 2,
    price: 9500,
    currency: 'AUD',
    organizer: 'The House Committee',
    rsvps: [{ memberNumber: 'HSC-0001', response: 'YES', guests: ['Ethel Florey'] }],
  },
];
