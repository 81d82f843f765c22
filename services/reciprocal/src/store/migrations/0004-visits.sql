-- Visits: a member of the home club at the host club's front desk. Shared rows between the two
-- clubs (partiesTableSql); the member reads their own through their home club.
CREATE TABLE reciprocal.visits (
  id uuid PRIMARY KEY,
  home_club_id uuid NOT NULL,
  host_club_id uuid NOT NULL CHECK (host_club_id <> home_club_id),
  member_id uuid NOT NULL,
  member_user_id uuid,
  agreement_id uuid NOT NULL REFERENCES reciprocal.agreements (id),
  letter_id uuid REFERENCES reciprocal.letters (id),
  -- PLANNED → CHECKED_IN → CHECKED_OUT; CANCELLED; NO_SHOW (src/domain/visit-lifecycle.ts).
  status text NOT NULL CHECK (status IN ('PLANNED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW')),
  guest_count integer NOT NULL CHECK (guest_count BETWEEN 0 AND 20),
  purpose text,
  -- How the desk identified the visitor: CARD (signed membership card), NUMBER (home club +
  -- member number), QR (a visit code the member showed), APP (the member checked in themselves).
  identified_by text NOT NULL CHECK (identified_by IN ('CARD', 'NUMBER', 'QR', 'APP')),
  -- The day the visit counts against the limits (the host's calendar day of check-in).
  visit_date date NOT NULL,
  -- Nights the member means to stay (0: a day visit); checked against the agreement's maximum.
  nights integer NOT NULL DEFAULT 0 CHECK (nights BETWEEN 0 AND 365),
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  facilities_used text[] NOT NULL DEFAULT '{}',
  -- { guestFee, facilityFees, foodBeverage, other, total, currency, homeClubShare, memberShare } in
  -- minor units (integers), set at check-out under the agreement's cost sharing.
  costs jsonb,
  notes text,
  status_reason text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- A member is checked in at one club at a time.
CREATE UNIQUE INDEX visits_one_open_per_member ON reciprocal.visits (home_club_id, member_id) WHERE status = 'CHECKED_IN';
CREATE INDEX visits_by_host ON reciprocal.visits (host_club_id, created_at, id);
CREATE INDEX visits_by_home ON reciprocal.visits (home_club_id, created_at, id);
CREATE INDEX visits_by_account ON reciprocal.visits (member_user_id, created_at) WHERE member_user_id IS NOT NULL;
-- Settlement reads a period's visits per pair of clubs.
CREATE INDEX visits_for_settlement ON reciprocal.visits (visit_date, home_club_id, host_club_id) WHERE status = 'CHECKED_OUT';

-- Visits counted against an agreement's limits, per member, host and period (a month 'YYYY-MM' or
-- a year 'YYYY'). Check-in increments with a conditional upsert (count < limit), so two desks
-- checking the same member in at the same moment never pass a limit: the database serialises them
-- on this row, not a read-then-write in code. A cancelled check-in gives its count back.
CREATE TABLE reciprocal.visit_counts (
  home_club_id uuid NOT NULL,
  host_club_id uuid NOT NULL,
  member_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{2})?$'),
  visits integer NOT NULL CHECK (visits >= 0),
  PRIMARY KEY (home_club_id, member_id, host_club_id, period)
);

CREATE TABLE reciprocal.visit_changes (
  id uuid PRIMARY KEY,
  visit_id uuid NOT NULL REFERENCES reciprocal.visits (id),
  home_club_id uuid NOT NULL,
  host_club_id uuid NOT NULL,
  from_status text,
  to_status text NOT NULL,
  reason text,
  changed_by uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX visit_changes_by_visit ON reciprocal.visit_changes (visit_id, changed_at);
