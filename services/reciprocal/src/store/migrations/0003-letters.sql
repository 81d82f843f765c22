-- Letters of introduction: the home club vouches for a member's trip to a host club. Shared rows
-- between the home and host clubs (partiesTableSql).
CREATE TABLE reciprocal.letters (
  id uuid PRIMARY KEY,
  home_club_id uuid NOT NULL,
  host_club_id uuid NOT NULL CHECK (host_club_id <> home_club_id),
  -- The member record at the home club, and its account (for the member's own reads).
  member_id uuid NOT NULL,
  member_user_id uuid,
  -- The agreement the trip falls under, when one is in force at issue.
  agreement_id uuid REFERENCES reciprocal.agreements (id),
  -- The trip: first and last day (inclusive), in the host's calendar.
  arrives_on date NOT NULL,
  departs_on date NOT NULL CHECK (departs_on >= arrives_on),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  guest_count integer NOT NULL CHECK (guest_count BETWEEN 0 AND 20),
  delivery text NOT NULL CHECK (delivery IN ('EMAIL', 'QR_CODE', 'API', 'ALL')),
  -- PENDING (issued, awaiting the host) → APPROVED → USED (at check-in); DECLINED, EXPIRED, REVOKED.
  status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'USED', 'EXPIRED', 'DECLINED', 'REVOKED')),
  -- The letter this one replaces (a reissue), keeping the history.
  replaces_id uuid REFERENCES reciprocal.letters (id),
  issued_by uuid NOT NULL,
  decided_by uuid,
  decided_at timestamptz,
  status_reason text,
  used_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One open letter per member and host: a second one while the first awaits or stands is a conflict.
CREATE UNIQUE INDEX letters_one_open_per_member_and_host
  ON reciprocal.letters (home_club_id, member_id, host_club_id) WHERE status IN ('PENDING', 'APPROVED');
CREATE INDEX letters_by_host ON reciprocal.letters (host_club_id, created_at);
CREATE INDEX letters_by_home ON reciprocal.letters (home_club_id, created_at);
CREATE INDEX letters_by_account ON reciprocal.letters (member_user_id) WHERE member_user_id IS NOT NULL;

CREATE TABLE reciprocal.letter_changes (
  id uuid PRIMARY KEY,
  letter_id uuid NOT NULL REFERENCES reciprocal.letters (id),
  home_club_id uuid NOT NULL,
  host_club_id uuid NOT NULL,
  from_status text,
  to_status text NOT NULL,
  reason text,
  changed_by uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX letter_changes_by_letter ON reciprocal.letter_changes (letter_id, changed_at);
