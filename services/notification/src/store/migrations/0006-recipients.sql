-- What this service knows of people and clubs, learned from other services' events (never their
-- tables): where to write to a person, who is a member of which club, who runs which club.

-- From user.registered: the address mail goes to and the name it greets.
CREATE TABLE notification.recipients (
  user_id uuid PRIMARY KEY,
  home_club_id uuid,
  email text,
  first_name text,
  last_name text,
  -- BCP 47 language of their notices; en until they choose.
  locale text NOT NULL DEFAULT 'en',
  -- SMS number and push device token, once the person gives them.
  phone text,
  device_token text,
  updated_at timestamptz NOT NULL
);

-- From member.created, member.status_changed and member.erased: a club's members with accounts,
-- the people a club may send to.
CREATE TABLE notification.club_members (
  member_id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  user_id uuid,
  status text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX club_members_user ON notification.club_members (user_id, club_id);
CREATE INDEX club_members_club ON notification.club_members (club_id, status);

-- From user.role_granted and user.role_revoked: who hears of a club's agreements and failures.
CREATE TABLE notification.club_staff (
  club_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('STAFF', 'CLUB_ADMIN')),
  PRIMARY KEY (club_id, user_id, role)
);
