-- Every change of a club's status (the network suspends, closes or reopens a club), for the record.
-- Network data like member.clubs: no row-level security; only network administrators write it.
CREATE TABLE member.club_status_changes (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  from_status text NOT NULL CHECK (from_status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  to_status text NOT NULL CHECK (to_status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  -- The user who changed it (auth.users.id; another service's schema, so no foreign key).
  changed_by uuid NOT NULL,
  changed_at timestamptz NOT NULL,
  CHECK (from_status <> to_status)
);
CREATE INDEX club_status_changes_by_club ON member.club_status_changes (club_id, changed_at DESC, id);
