-- A club's facilities: what members book. Tenant-owned (the tenant template is appended by
-- clubMigrations() in src/index.ts): a club's transaction sees only its own.
CREATE TABLE club.facilities (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text,
  -- The contract's FacilityType (GOLF_COURSE, TENNIS_COURT, POOL, GYM, SPA, RESTAURANT, BAR, ...).
  facility_type text NOT NULL,
  -- ACTIVE, INACTIVE, MAINTENANCE (the contract's FacilityStatus).
  status text NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE', 'MAINTENANCE')),
  -- Bookable units at once (courts of one kind, lanes, treatment rooms): a booking takes one unit.
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  -- Opening hours per weekday in the club's time zone: [{ day: MONDAY..SUNDAY, opens: 'HH:MM',
  -- closes: 'HH:MM' }]; a day absent is closed.
  opening_hours jsonb NOT NULL,
  -- Booking granularity and limits, in minutes.
  slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440),
  min_booking_minutes integer NOT NULL CHECK (min_booking_minutes >= 5),
  max_booking_minutes integer NOT NULL CHECK (max_booking_minutes >= min_booking_minutes),
  -- Time kept free after each booking (cleaning, turnover).
  buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
  -- How far ahead a member may book, in days.
  advance_booking_days integer NOT NULL CHECK (advance_booking_days BETWEEN 0 AND 365),
  -- A cancellation later than this many hours before the start incurs the fee.
  cancellation_deadline_hours integer NOT NULL DEFAULT 24 CHECK (cancellation_deadline_hours >= 0),
  -- Minor units of the club's currency.
  cancellation_fee integer NOT NULL DEFAULT 0 CHECK (cancellation_fee >= 0),
  -- Who may book: membership types (empty: every type) and whether reciprocal visitors may, under
  -- an agreement that allows this facility type.
  allowed_membership_types text[] NOT NULL DEFAULT '{}',
  allows_reciprocal_visitors boolean NOT NULL DEFAULT false,
  -- Per-member caps: bookings open at once, and per week; null: none.
  max_open_bookings_per_member integer CHECK (max_open_bookings_per_member > 0),
  max_bookings_per_week integer CHECK (max_bookings_per_week > 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Set when deleted: kept for the bookings and statistics that name it.
  deleted_at timestamptz
);
CREATE INDEX facilities_by_club ON club.facilities (club_id, facility_type) WHERE deleted_at IS NULL;

-- Closures and maintenance windows of a facility (or, facility_id NULL, the whole club).
CREATE TABLE club.closures (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  facility_id uuid REFERENCES club.facilities (id),
  kind text NOT NULL CHECK (kind IN ('CLOSURE', 'MAINTENANCE')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX closures_by_facility ON club.closures (club_id, facility_id, starts_at);
