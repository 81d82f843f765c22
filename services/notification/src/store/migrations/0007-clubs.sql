-- Clubs' names as emails show them, from club.created (the member service's registry), so a
-- notice carries its club's name without asking the member service at every send.
CREATE TABLE notification.clubs (
  club_id uuid PRIMARY KEY,
  name text NOT NULL,
  updated_at timestamptz NOT NULL
);
