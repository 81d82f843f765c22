-- Bookings of a club's facilities, their history, the waitlist, and one lock row per member.
-- Tenant-owned (the tenant template is appended by clubMigrations() in src/index.ts).

-- Equality on uuid and integer beside a range in one exclusion constraint needs btree_gist
-- (PostgreSQL ships it; PGlite loads it, packages/db/src/pglite-db.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE club.bookings (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  facility_id uuid NOT NULL REFERENCES club.facilities (id),
  -- Which of the facility's units (1..capacity) the booking holds: court 2, lane 5.
  unit integer NOT NULL CHECK (unit >= 1),
  -- The member at this club (the member service's id); null for a reciprocal visitor, who has none here.
  member_id uuid,
  -- The member's user account, when linked: whose bookings "my bookings" are, who hears of changes.
  user_id uuid,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  -- ends_at plus the facility's buffer at the time of booking: the unit stays taken until then.
  -- Kept as a column because timestamptz + interval is not immutable, and the constraint needs it.
  blocked_until timestamptz NOT NULL CHECK (blocked_until >= ends_at),
  -- src/domain/booking-lifecycle.ts: REQUESTED, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW.
  status text NOT NULL CHECK (status IN ('REQUESTED', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
  guest_count integer NOT NULL DEFAULT 0 CHECK (guest_count BETWEEN 0 AND 50),
  purpose text CHECK (length(purpose) <= 500),
  special_requests text CHECK (length(special_requests) <= 1000),
  -- Minor units of `currency`: what the booking costs (the cancellation fee once charged).
  total_cost integer NOT NULL DEFAULT 0 CHECK (total_cost >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- The contract's PaymentStatus: PAID when nothing is owed.
  payment_status text NOT NULL CHECK (payment_status IN ('PENDING', 'PAID', 'REFUNDED', 'FAILED')),
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  cancelled_at timestamptz,
  cancellation_reason text,
  cancelled_by uuid,
  -- Minor units charged for a cancellation after the facility's deadline; 0 otherwise.
  cancellation_fee integer NOT NULL DEFAULT 0 CHECK (cancellation_fee >= 0),
  -- Who made it: the member themselves, or staff on their behalf.
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (member_id IS NOT NULL OR user_id IS NOT NULL),
  -- No double booking, by the database: two open bookings of one unit never overlap, buffer included.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
    facility_id WITH =,
    unit WITH =,
    tstzrange(starts_at, blocked_until) WITH &&
  ) WHERE (status IN ('REQUESTED', 'CONFIRMED', 'CHECKED_IN'))
);
CREATE INDEX bookings_by_facility ON club.bookings (club_id, facility_id, starts_at);
CREATE INDEX bookings_by_member ON club.bookings (club_id, member_id, starts_at);
CREATE INDEX bookings_by_user ON club.bookings (club_id, user_id, starts_at);

-- Every status a booking went through, who moved it and why.
CREATE TABLE club.booking_changes (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  booking_id uuid NOT NULL REFERENCES club.bookings (id),
  -- Null for the booking's creation.
  from_status text,
  to_status text NOT NULL,
  reason text,
  -- Null for the system (a waitlist promotion).
  changed_by uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX booking_changes_by_booking ON club.booking_changes (club_id, booking_id, changed_at);

-- Members waiting for a taken range of a facility; the first (oldest) is booked when it frees.
CREATE TABLE club.booking_waitlist (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  facility_id uuid NOT NULL REFERENCES club.facilities (id),
  member_id uuid,
  user_id uuid,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  guest_count integer NOT NULL DEFAULT 0 CHECK (guest_count BETWEEN 0 AND 50),
  purpose text,
  -- WAITING until PROMOTED (booking_id set) or WITHDRAWN.
  status text NOT NULL CHECK (status IN ('WAITING', 'PROMOTED', 'WITHDRAWN')),
  booking_id uuid REFERENCES club.bookings (id),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (member_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX booking_waitlist_waiting ON club.booking_waitlist (club_id, facility_id, starts_at, created_at)
  WHERE status = 'WAITING';
-- One place in the queue per member and range.
CREATE UNIQUE INDEX booking_waitlist_once ON club.booking_waitlist
  (club_id, facility_id, coalesce(member_id, user_id), starts_at, ends_at) WHERE status = 'WAITING';

-- One row per member who ever booked at the club, locked FOR UPDATE by every booking of theirs, so
-- that a member's concurrent requests count their caps one after the other; holds their no-shows.
CREATE TABLE club.booking_holders (
  club_id uuid NOT NULL,
  -- The member's id at the club, or the user id of a member without one here (a visitor).
  holder_id uuid NOT NULL,
  no_shows integer NOT NULL DEFAULT 0 CHECK (no_shows >= 0),
  last_no_show_at timestamptz,
  PRIMARY KEY (club_id, holder_id)
);
