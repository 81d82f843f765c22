-- A club's events and the RSVPs to them. Tenant-owned (the tenant template is appended by
-- clubMigrations() in src/index.ts): a club's transaction sees only its own.
CREATE TABLE club.events (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text,
  -- The contract's ClubEventType.
  event_type text NOT NULL CHECK (event_type IN ('SOCIAL', 'NETWORKING', 'EDUCATIONAL', 'SPORTING',
    'CULTURAL', 'FUNDRAISING', 'MEETING', 'OTHER')),
  -- The contract's EventStatus. Members see every status but DRAFT.
  status text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'REGISTRATION_OPEN', 'REGISTRATION_CLOSED',
    'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  location text,
  image_url text,
  -- People at once: members and their guests.
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
  -- Seats held by seated RSVPs (1 + guests each), kept with them in one transaction under this
  -- row's lock: the count concurrent RSVPs are admitted against.
  seats_taken integer NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
  -- Hands out waitlist order under the same lock.
  waitlist_seq integer NOT NULL DEFAULT 0,
  -- No RSVP after this (nor after the start); null: until the start.
  rsvp_deadline timestamptz,
  -- Who may RSVP: membership types (empty: every type), guests, reciprocal visitors.
  allowed_membership_types text[] NOT NULL DEFAULT '{}',
  -- The contract's GuestPolicy; NO_GUESTS or max_guests_per_member 0: no guests.
  guest_policy text NOT NULL DEFAULT 'NO_GUESTS' CHECK (guest_policy IN ('NO_GUESTS', 'MEMBERS_ONLY',
    'MALE_GUESTS_ONLY', 'FEMALE_GUESTS_ONLY', 'FRIENDS_AND_FAMILY')),
  max_guests_per_member integer NOT NULL DEFAULT 0 CHECK (max_guests_per_member BETWEEN 0 AND 50),
  allows_reciprocal_visitors boolean NOT NULL DEFAULT false,
  -- A YES holds its seats as PENDING until staff confirm it.
  requires_approval boolean NOT NULL DEFAULT false,
  -- Per person, minor units of `currency`; 0: free.
  price bigint NOT NULL DEFAULT 0 CHECK (price >= 0),
  currency text NOT NULL DEFAULT 'GBP' CHECK (currency ~ '^[A-Z]{3}$'),
  payment_instructions text,
  -- Cancelling less than this many days before the start costs this percentage of the payment.
  free_cancellation_days integer NOT NULL DEFAULT 0 CHECK (free_cancellation_days BETWEEN 0 AND 365),
  cancellation_fee_percent integer NOT NULL DEFAULT 0 CHECK (cancellation_fee_percent BETWEEN 0 AND 100),
  organizer_name text,
  contact_email text,
  contact_phone text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancellation_reason text
);
CREATE INDEX events_by_club_start ON club.events (club_id, starts_at);

-- One member's answer to one event. Guests come with the member and share their seat block.
CREATE TABLE club.rsvps (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  event_id uuid NOT NULL REFERENCES club.events (id),
  -- The member record (at the event's club, or at a reciprocal visitor's home club) and its account.
  member_id uuid NOT NULL,
  user_id uuid NOT NULL,
  -- What fellow members see in "friends going": first name and last initial, as the member
  -- service gave it for the member's own record when they RSVPed. Never more.
  display_name text NOT NULL,
  -- The contract's RSVPType: PRIMARY (a member of the club), RECIPROCAL (a visitor under an agreement).
  rsvp_type text NOT NULL CHECK (rsvp_type IN ('PRIMARY', 'RECIPROCAL', 'SUBGROUP')),
  -- The contract's RSVPResponse.
  response text NOT NULL CHECK (response IN ('YES', 'MAYBE', 'NO')),
  -- The contract's RSVPStatus (domain/rsvp-lifecycle.ts).
  status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'WAITLISTED', 'ATTENDED', 'NO_SHOW', 'CANCELLED')),
  guest_count integer NOT NULL DEFAULT 0 CHECK (guest_count BETWEEN 0 AND 50),
  guest_names text[] NOT NULL DEFAULT '{}',
  dietary_restrictions text[] NOT NULL DEFAULT '{}',
  special_requests text,
  seating_preferences text,
  -- Seats held (1 + guests) while seated; 0 otherwise. Their sum is events.seats_taken.
  seats integer NOT NULL DEFAULT 0 CHECK (seats >= 0),
  -- Order on the waitlist (the event's waitlist_seq when it joined); null when not waiting.
  waitlist_seq integer,
  -- The contract's PaymentStatus; the amount in minor units of the event's currency.
  payment_status text NOT NULL DEFAULT 'PENDING' CHECK (payment_status IN ('PENDING', 'PAID', 'REFUNDED', 'FAILED')),
  payment_amount bigint NOT NULL DEFAULT 0,
  cancellation_fee bigint NOT NULL DEFAULT 0,
  fee_waived boolean NOT NULL DEFAULT false,
  rsvped_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancellation_reason text,
  CHECK ((status = 'WAITLISTED') = (waitlist_seq IS NOT NULL))
);
-- One live RSVP per event and member; a cancelled one may be followed by a new one.
CREATE UNIQUE INDEX rsvps_one_live_per_member ON club.rsvps (event_id, member_id) WHERE status <> 'CANCELLED';
CREATE INDEX rsvps_waitlist ON club.rsvps (event_id, waitlist_seq) WHERE status = 'WAITLISTED';
CREATE INDEX rsvps_by_user ON club.rsvps (user_id, rsvped_at);

-- Every status an RSVP went through, with who moved it (null: the system, e.g. a waitlist promotion).
CREATE TABLE club.rsvp_changes (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  rsvp_id uuid NOT NULL REFERENCES club.rsvps (id),
  from_status text,
  to_status text NOT NULL,
  reason text,
  changed_by uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX rsvp_changes_by_rsvp ON club.rsvp_changes (rsvp_id, changed_at);
