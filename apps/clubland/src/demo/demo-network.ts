/**
 * The demo network, as data: four clubs in four countries, each with an administrator, a member
 * of staff and four members who between them hold every membership type and every member status.
 * Every demo account signs in with DEMO_PASSWORD. Addresses are under the reserved `.test` domain:
 * no mail can ever reach anyone.
 */

export const DEMO_PASSWORD = 'clubland-demo-1';
/** Every demo account's address is at this domain, and only theirs: it is how the demo is recognised. */
export const DEMO_EMAIL_DOMAIN = 'demo.clubland.test';
const DOMAIN = DEMO_EMAIL_DOMAIN;

export const DEMO_NETWORK_ADMIN = {
  email: `network.admin@${DOMAIN}`,
  password: DEMO_PASSWORD,
  firstName: 'Network',
  lastName: 'Administrator',
};

export type DemoRole = 'CLUB_ADMIN' | 'STAFF' | 'MEMBER';
export type DemoMemberStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE';

export interface DemoPerson {
  firstName: string;
  lastName: string;
  role: DemoRole;
  /** Set for people on the roster (the club's members). */
  membership?: {
    number: string;
    type: string;
    status: DemoMemberStatus;
    /** Other clubs (by slug) they reviewed after a visit, with the rating. */
    reviews: { club: string; rating: number; comment: string }[];
    /** Clubs (by slug) they keep as favourites. */
    favourites: string[];
  };
}

export interface DemoClub {
  slug: string;
  name: string;
  description: string;
  location: string;
  website: string;
  address: { street: string; city: string; state: string; postalCode: string; country: string };
  latitude: number;
  longitude: number;
  timezone: string;
  currency: string;
  contactPhone: string;
  amenities: string[];
  /** Opening hours Monday to Friday, then the weekend. */
  weekdays: { opens: string; closes: string };
  weekend: { opens: string; closes: string };
  isFeatured: boolean;
  reciprocalFee: number;
  people: DemoPerson[];
}

export function demoEmail(person: Pick<DemoPerson, 'firstName' | 'lastName'>): string {
  const part = (name: string) =>
    name
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  return `${part(person.firstName)}.${part(person.lastName)}@${DOMAIN}`;
}

/**
 * The club's administrator, an honorary member of the club as its officer: governance acts through
 * the club's members (a vote is cast by one of them).
 */
function officer(firstName: string, lastName: string, number: string): DemoPerson {
  return {
    firstName,
    lastName,
    role: 'CLUB_ADMIN',
    membership: { number, type: 'HONORARY', status: 'ACTIVE', reviews: [], favourites: [] },
  };
}

function member(
  firstName: string,
  lastName: string,
  membership: NonNullable<DemoPerson['membership']>,
): DemoPerson {
  return { firstName, lastName, role: 'MEMBER', membership };
}

export const DEMO_CLUBS: readonly DemoClub[] = [
  {
    slug: 'pall-mall-club',
    name: 'The Pall Mall Club',
    description: 'A members’ club of 1824 on Pall Mall: library, dining room and a quiet bar.',
    location: 'London, United Kingdom',
    website: 'https://pall-mall-club.demo.clubland.test',
    address: {
      street: '104 Pall Mall',
      city: 'London',
      state: '',
      postalCode: 'SW1Y 5EP',
      country: 'United Kingdom',
    },
    latitude: 51.5066,
    longitude: -0.1337,
    timezone: 'Europe/London',
    currency: 'GBP',
    contactPhone: '+44 20 7930 0000',
    amenities: ['library', 'dining', 'bar', 'bedrooms', 'wifi'],
    weekdays: { opens: '07:00', closes: '23:00' },
    weekend: { opens: '08:00', closes: '22:00' },
    isFeatured: true,
    reciprocalFee: 25,
    people: [
      officer('Henry', 'Wotton', 'PMC-0000'),
      { firstName: 'Alfred', lastName: 'Pennyworth', role: 'STAFF' },
      member('Ada', 'Lovelace', {
        number: 'PMC-0001',
        type: 'REGULAR',
        status: 'ACTIVE',
        reviews: [{ club: 'knickerbocker-union', rating: 5, comment: 'A warm welcome and a fine library.' }],
        favourites: ['knickerbocker-union', 'cercle-etoile'],
      }),
      member('Charles', 'Babbage', {
        number: 'PMC-0002',
        type: 'PREMIUM',
        status: 'PENDING',
        reviews: [{ club: 'knickerbocker-union', rating: 4, comment: 'Good dining, busy bar.' }],
        favourites: ['knickerbocker-union'],
      }),
      member('Mary', 'Somerville', {
        number: 'PMC-0003',
        type: 'VIP',
        status: 'SUSPENDED',
        reviews: [{ club: 'cercle-etoile', rating: 5, comment: 'The terrace at dusk is unforgettable.' }],
        favourites: ['cercle-etoile'],
      }),
      member('Isambard', 'Brunel', {
        number: 'PMC-0004',
        type: 'CORPORATE',
        status: 'EXPIRED',
        reviews: [
          { club: 'harbourside-club', rating: 4, comment: 'Swim first, then breakfast on the deck.' },
        ],
        favourites: ['harbourside-club'],
      }),
    ],
  },
  {
    slug: 'knickerbocker-union',
    name: 'The Knickerbocker Union',
    description: 'A Midtown club of 1868 with a rooftop terrace, squash courts and a busy events calendar.',
    location: 'New York, United States',
    website: 'https://knickerbocker-union.demo.clubland.test',
    address: {
      street: '38 East 37th Street',
      city: 'New York',
      state: 'NY',
      postalCode: '10016',
      country: 'United States',
    },
    latitude: 40.7496,
    longitude: -73.9806,
    timezone: 'America/New_York',
    currency: 'USD',
    contactPhone: '+1 212 555 0100',
    amenities: ['dining', 'bar', 'squash', 'gym', 'rooftop', 'wifi'],
    weekdays: { opens: '06:30', closes: '23:30' },
    weekend: { opens: '08:00', closes: '23:00' },
    isFeatured: false,
    reciprocalFee: 40,
    people: [
      officer('Edith', 'Wharton', 'KNU-0000'),
      { firstName: 'Dorothy', lastName: 'Parker', role: 'STAFF' },
      member('Grace', 'Hopper', {
        number: 'KNU-0001',
        type: 'STUDENT',
        status: 'ACTIVE',
        reviews: [{ club: 'cercle-etoile', rating: 5, comment: 'Impeccable service.' }],
        favourites: ['cercle-etoile'],
      }),
      member('Nikola', 'Tesla', {
        number: 'KNU-0002',
        type: 'SENIOR',
        status: 'INACTIVE',
        reviews: [{ club: 'cercle-etoile', rating: 3, comment: 'Lovely rooms, slow kitchen.' }],
        favourites: ['cercle-etoile'],
      }),
      member('Emily', 'Warren', {
        number: 'KNU-0003',
        type: 'FAMILY',
        status: 'ACTIVE',
        reviews: [{ club: 'harbourside-club', rating: 5, comment: 'The children loved the pool.' }],
        favourites: ['harbourside-club', 'pall-mall-club'],
      }),
      member('Duke', 'Ellington', {
        number: 'KNU-0004',
        type: 'HONORARY',
        status: 'PENDING',
        reviews: [{ club: 'pall-mall-club', rating: 4, comment: 'The piano in the bar is in tune.' }],
        favourites: ['pall-mall-club'],
      }),
    ],
  },
  {
    slug: 'cercle-etoile',
    name: 'Cercle de l’Étoile',
    description: 'A cercle of 1891 near the Arc de Triomphe: salons, a garden terrace and a fine cellar.',
    location: 'Paris, France',
    website: 'https://cercle-etoile.demo.clubland.test',
    address: {
      street: '12 avenue de Wagram',
      city: 'Paris',
      state: '',
      postalCode: '75008',
      country: 'France',
    },
    latitude: 48.8756,
    longitude: 2.2962,
    timezone: 'Europe/Paris',
    currency: 'EUR',
    contactPhone: '+33 1 40 00 00 00',
    amenities: ['dining', 'wine-cellar', 'terrace', 'library', 'wifi'],
    weekdays: { opens: '08:00', closes: '23:00' },
    weekend: { opens: '09:00', closes: '23:30' },
    isFeatured: true,
    reciprocalFee: 30,
    people: [
      officer('Gustave', 'Eiffel', 'CDE-0000'),
      { firstName: 'Colette', lastName: 'Willy', role: 'STAFF' },
      member('Marie', 'Curie', {
        number: 'CDE-0001',
        type: 'REGULAR',
        status: 'ACTIVE',
        reviews: [{ club: 'harbourside-club', rating: 5, comment: 'Quiet rooms and a view of the bridge.' }],
        favourites: ['harbourside-club'],
      }),
      member('Jules', 'Verne', {
        number: 'CDE-0002',
        type: 'PREMIUM',
        status: 'SUSPENDED',
        reviews: [{ club: 'harbourside-club', rating: 4, comment: 'Come for the sailing.' }],
        favourites: ['harbourside-club'],
      }),
      member('Sarah', 'Bernhardt', {
        number: 'CDE-0003',
        type: 'VIP',
        status: 'EXPIRED',
        reviews: [{ club: 'pall-mall-club', rating: 5, comment: 'The dining room is a stage of its own.' }],
        favourites: ['pall-mall-club'],
      }),
      member('Claude', 'Debussy', {
        number: 'CDE-0004',
        type: 'CORPORATE',
        status: 'INACTIVE',
        reviews: [{ club: 'knickerbocker-union', rating: 4, comment: 'Excellent squash courts.' }],
        favourites: ['knickerbocker-union'],
      }),
    ],
  },
  {
    slug: 'harbourside-club',
    name: 'The Harbourside Club',
    description: 'On Sydney Harbour since 1902: a saltwater pool, sailing and long lunches on the deck.',
    location: 'Sydney, Australia',
    website: 'https://harbourside-club.demo.clubland.test',
    address: {
      street: '1 Macquarie Street',
      city: 'Sydney',
      state: 'NSW',
      postalCode: '2000',
      country: 'Australia',
    },
    latitude: -33.8587,
    longitude: 151.214,
    timezone: 'Australia/Sydney',
    currency: 'AUD',
    contactPhone: '+61 2 9000 0000',
    amenities: ['pool', 'sailing', 'dining', 'bar', 'gym', 'wifi'],
    weekdays: { opens: '06:00', closes: '22:00' },
    weekend: { opens: '07:00', closes: '22:00' },
    isFeatured: false,
    reciprocalFee: 35,
    people: [
      officer('Banjo', 'Paterson', 'HSC-0000'),
      { firstName: 'Nellie', lastName: 'Melba', role: 'STAFF' },
      member('Howard', 'Florey', {
        number: 'HSC-0001',
        type: 'STUDENT',
        status: 'ACTIVE',
        reviews: [{ club: 'pall-mall-club', rating: 4, comment: 'A perfect base for a London week.' }],
        favourites: ['pall-mall-club'],
      }),
      member('Annette', 'Kellerman', {
        number: 'HSC-0002',
        type: 'SENIOR',
        status: 'PENDING',
        reviews: [{ club: 'pall-mall-club', rating: 3, comment: 'No pool, alas.' }],
        favourites: ['pall-mall-club'],
      }),
      member('Ethel', 'Turner', {
        number: 'HSC-0003',
        type: 'FAMILY',
        status: 'SUSPENDED',
        reviews: [{ club: 'knickerbocker-union', rating: 5, comment: 'The rooftop in autumn!' }],
        favourites: ['knickerbocker-union'],
      }),
      member('Lawrence', 'Hargrave', {
        number: 'HSC-0004',
        type: 'HONORARY',
        status: 'EXPIRED',
        reviews: [{ club: 'cercle-etoile', rating: 4, comment: 'Ask for a table in the garden.' }],
        favourites: ['cercle-etoile'],
      }),
    ],
  },
];

/** The two logins the start-up banner and the README show: a member and their club's administrator. */
export const DEMO_MEMBER = DEMO_CLUBS[0]!.people[2]!;
export const DEMO_CLUB_ADMIN = DEMO_CLUBS[0]!.people[0]!;

/**
 * The reciprocal side of the demo, as data. Clubs and members are named by slug and member number;
 * dates are relative to the day the demo is seeded, so the network looks the same whenever it is.
 */

/** Amounts in minor units (pence, cents) of the agreement's currency. */
export interface DemoAgreement {
  proposer: string;
  partner: string;
  /** Where the demo leaves it: the partner approved (ACTIVE), not yet (PENDING), or a side suspended it. */
  status: 'ACTIVE' | 'PENDING' | 'SUSPENDED';
  /** The side that suspends it, and why (SUSPENDED only). */
  suspension?: { by: string; reason: string };
  /** It came into force this many days before the demo was seeded. */
  inForceForDays: number;
  notes: string;
  terms: {
    maxVisitsPerMonth: number;
    maxVisitsPerYear: number;
    maxStayNights: number;
    guestsPerVisit: number;
    allowedFacilities: string[];
    /** Days of the year (MM-DD) closed to visitors; each becomes its next date after the seed. */
    blackoutDays: string[];
    costSharing: {
      guestFee: number;
      currency: string;
      guestFeeCovered: boolean;
      facilityFeesCovered: boolean;
      foodBeverageCovered: boolean;
      percentageCovered: number;
    };
    specialConditions: string;
  };
}

export interface DemoLetter {
  home: string;
  memberNumber: string;
  host: string;
  /** The trip: from the seed's day at the host, for this many nights. */
  nights: number;
  purpose: string;
  guestCount: number;
}

/** A visit made at seed time: checked in and out at once, so the month already has visits to settle. */
export interface DemoVisit {
  home: string;
  memberNumber: string;
  host: string;
  guestCount: number;
  /** How the demo recognises its own visit on a later run, with the member. */
  purpose: string;
  facilitiesUsed: string[];
  facilityFees: number;
  foodBeverage: number;
}

const CLUB_TERMS: DemoAgreement['terms'] = {
  maxVisitsPerMonth: 4,
  maxVisitsPerYear: 12,
  maxStayNights: 7,
  guestsPerVisit: 2,
  allowedFacilities: [],
  blackoutDays: ['12-25'],
  costSharing: {
    guestFee: 2500,
    currency: 'GBP',
    // The home club pays the guest fee, for the member and each guest; the member pays what they
    // eat, drink and use.
    guestFeeCovered: true,
    facilityFeesCovered: false,
    foodBeverageCovered: false,
    percentageCovered: 100,
  },
  specialConditions: 'Jacket and tie in the dining room.',
};

export const DEMO_AGREEMENTS: readonly DemoAgreement[] = [
  {
    proposer: 'pall-mall-club',
    partner: 'knickerbocker-union',
    status: 'ACTIVE',
    inForceForDays: 90,
    notes: 'London and New York: each club welcomes the other’s members.',
    terms: CLUB_TERMS,
  },
  {
    proposer: 'pall-mall-club',
    partner: 'cercle-etoile',
    status: 'PENDING',
    inForceForDays: 0,
    notes: 'Proposed by the Pall Mall Club; awaiting the Cercle’s committee.',
    terms: { ...CLUB_TERMS, costSharing: { ...CLUB_TERMS.costSharing, guestFee: 3000, currency: 'EUR' } },
  },
  {
    proposer: 'knickerbocker-union',
    partner: 'harbourside-club',
    status: 'SUSPENDED',
    suspension: {
      by: 'harbourside-club',
      reason: 'The Harbourside’s clubhouse is closed for refurbishment until the pool reopens.',
    },
    inForceForDays: 180,
    notes: 'New York and Sydney.',
    terms: { ...CLUB_TERMS, costSharing: { ...CLUB_TERMS.costSharing, guestFee: 4000, currency: 'USD' } },
  },
];

/** Ada's week in New York, approved by the Knickerbocker's desk: it covers a check-in there today. */
export const DEMO_LETTERS: readonly DemoLetter[] = [
  {
    home: 'pall-mall-club',
    memberNumber: 'PMC-0001',
    host: 'knickerbocker-union',
    nights: 6,
    purpose: 'A week in New York: the Union’s library and a lecture on the Analytical Engine.',
    guestCount: 0,
  },
];

/** Two Knickerbocker members at the Pall Mall Club: what the Knickerbocker owes it this month. */
export const DEMO_VISITS: readonly DemoVisit[] = [
  {
    home: 'knickerbocker-union',
    memberNumber: 'KNU-0001',
    host: 'pall-mall-club',
    guestCount: 1,
    purpose: 'Lunch in London with a guest (demo)',
    facilitiesUsed: ['dining', 'library'],
    facilityFees: 0,
    foodBeverage: 6400,
  },
  {
    home: 'knickerbocker-union',
    memberNumber: 'KNU-0003',
    host: 'pall-mall-club',
    guestCount: 2,
    purpose: 'Family afternoon tea (demo)',
    facilitiesUsed: ['dining', 'bedrooms'],
    facilityFees: 18000,
    foodBeverage: 4850,
  },
];

/** The front desk of the Knickerbocker, where the README's first ten minutes checks Ada in. */
export const DEMO_DESK = DEMO_CLUBS[1]!.people[1]!;

/** A club's policy of the demo, in force and asking its members to acknowledge it. */
export interface DemoPolicy {
  club: string;
  name: string;
  category: string;
  content: string;
  version: string;
}

/** The Pall Mall Club's dress code: Ada has yet to acknowledge it (her inbox asks her to). */
export const DEMO_POLICIES: readonly DemoPolicy[] = [
  {
    club: 'pall-mall-club',
    name: 'Dress code',
    category: 'CONDUCT',
    content:
      'Jackets are worn in the dining room and the library after 6 pm. Smart casual elsewhere; sportswear only in the spa and on the courts.',
    version: '2026.1',
  },
];

/** A network proposal of the demo: its club, and how far along its path the demo takes it. */
export interface DemoProposal {
  proposer: string;
  title: string;
  description: string;
  type: string;
  category: string;
  votingMethod: string;
  quorumRequired: number;
  /** Days the vote runs from the seed (it opens a day before). */
  votingDays: number;
  /** DRAFT: kept by its club; VOTING_OPEN: opened by the network; DECIDED: closed early by the network. */
  stage: 'DRAFT' | 'VOTING_OPEN' | 'DECIDED';
  /** The clubs' votes (by slug), cast by their administrators. */
  votes: { club: string; choice: 'YAY' | 'NAY' | 'ABSTAIN'; comments?: string; anonymous?: boolean }[];
}

/**
 * Network governance: one vote under way (the Harbourside Club has yet to vote), one decided (golf
 * clubs stay out: two of four in favour is short of two thirds), and the Cercle's draft budget.
 */
export const DEMO_PROPOSALS: readonly DemoProposal[] = [
  {
    proposer: 'pall-mall-club',
    title: 'One guest fee across the network',
    description:
      'Every club charges a visiting member’s guest the same fee, set each year by the network, rather than each club its own.',
    type: 'POLICY_CHANGE',
    category: 'Reciprocal visits',
    votingMethod: 'SIMPLE_MAJORITY',
    quorumRequired: 3,
    votingDays: 14,
    stage: 'VOTING_OPEN',
    votes: [
      { club: 'pall-mall-club', choice: 'YAY', comments: 'Simpler for members and for settlement.' },
      { club: 'knickerbocker-union', choice: 'YAY' },
      {
        club: 'cercle-etoile',
        choice: 'ABSTAIN',
        comments: 'We would like to see the proposed fee first.',
        anonymous: true,
      },
    ],
  },
  {
    proposer: 'knickerbocker-union',
    title: 'Admit golf clubs to the network',
    description: 'Golf clubs may join the network from next season, on the same terms as city clubs.',
    type: 'MEMBERSHIP',
    category: 'Network membership',
    votingMethod: 'TWO_THIRDS_MAJORITY',
    quorumRequired: 3,
    votingDays: 7,
    stage: 'DECIDED',
    votes: [
      { club: 'knickerbocker-union', choice: 'YAY' },
      { club: 'harbourside-club', choice: 'YAY' },
      { club: 'pall-mall-club', choice: 'NAY', comments: 'Our members come for the library, not the links.' },
      { club: 'cercle-etoile', choice: 'NAY' },
    ],
  },
  {
    proposer: 'cercle-etoile',
    title: 'A network budget for 2027',
    description:
      'Each club contributes to the network’s shared costs (the app, settlement, the ledger) by its number of members.',
    type: 'BUDGET',
    category: 'Finance',
    votingMethod: 'WEIGHTED',
    quorumRequired: 3,
    votingDays: 21,
    stage: 'DRAFT',
    votes: [],
  },
];
